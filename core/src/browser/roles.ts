import { api, checkboxes, checkedValues, escapeHtml, onDelete, onSubmit, root, startPage } from './common.js';

interface Role {
  id: string;
  name: string;
  permissions: string[];
}
interface Permission {
  id: string;
  description: string;
}

async function render(): Promise<void> {
  const [{ entities: roles }, { entities: permissions }] = await Promise.all([
    api<{ entities: Role[] }>('GET', '/roles'),
    api<{ entities: Permission[] }>('GET', '/permissions'),
  ]);
  const rows = roles
    .map(
      (role) => `<tr data-id="${escapeHtml(role.id)}"><td>${escapeHtml(role.name)}</td><td>${escapeHtml(role.permissions.join(', '))}</td>
        <td>${role.name === 'admin' ? '' : '<button class="danger" data-action="delete">Delete</button>'}</td></tr>`,
    )
    .join('');
  root().innerHTML = `<p class="error" role="alert" data-role="error"></p>
    <table><thead><tr><th>Role</th><th>Permissions</th><th></th></tr></thead><tbody>${rows}</tbody></table>
    <h2>New role</h2>
    <form class="card" id="create-role">
      <label>Name <input name="name" required></label>
      <fieldset><legend>Permissions</legend>${checkboxes('permissions', permissions)}</fieldset>
      <button type="submit">Create role</button>
    </form>`;

  onSubmit('#create-role', (form) => api('POST', '/roles', { name: new FormData(form).get('name'), permissions: checkedValues(form, 'permissions') }), render);
  onDelete('roles', 'Delete this role?', render);
}

startPage(render);
