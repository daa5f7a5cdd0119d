import { api, checkboxes, checkedValues, escapeHtml, onDelete, onSubmit, root, startPage } from './common.js';

interface User {
  id: string;
  email: string;
  name: string;
  roles: string[];
}
interface Role {
  id: string;
  name: string;
}

async function render(): Promise<void> {
  const [{ entities: users }, { entities: roles }] = await Promise.all([
    api<{ entities: User[] }>('GET', '/users'),
    api<{ entities: Role[] }>('GET', '/roles'),
  ]);
  const rows = users
    .map(
      (user) => `<tr data-id="${escapeHtml(user.id)}"><td>${escapeHtml(user.email)}</td><td>${escapeHtml(user.name)}</td>
        <td>${escapeHtml(user.roles.join(', '))}</td><td><button class="danger" data-action="delete">Delete</button></td></tr>`,
    )
    .join('');
  root().innerHTML = `<p class="error" role="alert" data-role="error"></p>
    <table><thead><tr><th>Email</th><th>Name</th><th>Roles</th><th></th></tr></thead><tbody>${rows}</tbody></table>
    <h2>New user</h2>
    <form class="card" id="create-user">
      <label>Email <input type="email" name="email" required></label>
      <label>Name <input name="name"></label>
      <label>Password <input type="password" name="password" minlength="8" autocomplete="new-password" required></label>
      <fieldset><legend>Roles</legend>${checkboxes('roles', roles.map((role) => ({ id: role.name })))}</fieldset>
      <button type="submit">Create user</button>
    </form>`;

  onSubmit(
    '#create-user',
    (form) => {
      const data = new FormData(form);
      return api('POST', '/users', { email: data.get('email'), name: data.get('name'), password: data.get('password'), roles: checkedValues(form, 'roles') });
    },
    render,
  );
  onDelete('users', 'Delete this user?', render);
}

startPage(render);
