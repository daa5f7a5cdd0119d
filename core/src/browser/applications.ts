import { api, checkboxes, checkedValues, escapeHtml, onDelete, root, showError, startPage } from './common.js';

interface Application {
  id: string;
  name: string;
  clientId: string;
  scopes: string[];
}
interface CreatedApplication extends Application {
  clientSecret: string;
}
interface Scope {
  id: string;
  description: string;
}

/** The secret exists only in this response: it is shown once and never again. */
function secretNotice(app: CreatedApplication): string {
  return `<div class="secret" data-role="secret">
    <p><strong>${escapeHtml(app.name)}</strong>: copy the client secret now, it will not be shown again.</p>
    <p>Client id: <code data-testid="client-id">${escapeHtml(app.clientId)}</code></p>
    <p>Client secret: <code data-testid="client-secret">${escapeHtml(app.clientSecret)}</code></p>
  </div>`;
}

async function render(created?: CreatedApplication): Promise<void> {
  const [{ entities: apps }, { entities: scopes }] = await Promise.all([
    api<{ entities: Application[] }>('GET', '/applications'),
    api<{ entities: Scope[] }>('GET', '/scopes'),
  ]);
  const rows = apps
    .map(
      (app) => `<tr data-id="${escapeHtml(app.id)}"><td>${escapeHtml(app.name)}</td><td><code>${escapeHtml(app.clientId)}</code></td>
        <td>${escapeHtml(app.scopes.join(', '))}</td>
        <td><button data-action="renew">New secret</button> <button class="danger" data-action="delete">Delete</button></td></tr>`,
    )
    .join('');
  root().innerHTML = `<p class="error" role="alert" data-role="error"></p>
    ${created ? secretNotice(created) : ''}
    <table><thead><tr><th>Application</th><th>Client id</th><th>Scopes</th><th></th></tr></thead><tbody>${rows}</tbody></table>
    <h2>New application</h2>
    <form class="card" id="create-application">
      <label>Name <input name="name" required></label>
      <fieldset><legend>Scopes</legend>${checkboxes('scopes', scopes)}</fieldset>
      <button type="submit">Create application</button>
    </form>`;

  root().querySelector<HTMLFormElement>('#create-application')!.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    try {
      const { entity } = await api<{ entity: CreatedApplication }>('POST', '/applications', {
        name: new FormData(form).get('name'),
        scopes: checkedValues(form, 'scopes'),
      });
      await render(entity);
    } catch (error) {
      showError(root(), error);
    }
  });
  for (const button of root().querySelectorAll<HTMLButtonElement>('[data-action="renew"]')) {
    button.addEventListener('click', async () => {
      if (!confirm('Issue a new secret? The current one stops working at once.')) return;
      try {
        const { entity } = await api<{ entity: CreatedApplication }>('POST', `/applications/${encodeURIComponent(button.closest('tr')!.dataset.id!)}/secret`);
        await render(entity);
      } catch (error) {
        showError(root(), error);
      }
    });
  }
  onDelete('applications', 'Delete this application? Its clients lose access at once.', () => render());
}

startPage(render);
