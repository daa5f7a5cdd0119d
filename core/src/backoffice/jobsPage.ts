import Router from '@koa/router';
import type { Context } from 'koa';
import { ConflictError, NotFoundError } from '../errors.js';
import { corePermissions } from '../identity/catalog.js';
import type { JobState, JobStatus } from '../jobs/types.js';
import { escapeHtml } from './html.js';
import { backOfficePage } from './navigation.js';
import { permissionPage } from './permissionPage.js';

export const JOBS_PAGE = { path: '/be/jobs', label: 'Jobs', permission: corePermissions.manageJobs };

/** What the page needs of the job queue. */
export interface JobsView {
  recent(limit: number): Promise<JobStatus[]>;
  get(id: string): Promise<JobStatus | undefined>;
  retry(id: string): Promise<void>;
}

const SHOWN = 200;
const STATES: JobState[] = ['running', 'queued', 'failed', 'completed'];
const when = (at?: Date) => (at ? `<time datetime="${at.toISOString()}">${escapeHtml(at.toISOString().replace('T', ' ').slice(0, 19))} UTC</time>` : '');

function row(ctx: Context, job: JobStatus): string {
  const retry =
    job.state === 'failed'
      ? `<form method="post" action="/be/jobs/${escapeHtml(job.id)}/retry"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.state._csrf ?? '')}"><button type="submit">Retry</button></form>`
      : '';
  return `<tr data-job-id="${escapeHtml(job.id)}" data-state="${job.state}">
  <td>${escapeHtml(job.name)}</td>
  <td>${job.state}</td>
  <td><progress max="100" value="${job.progress}">${job.progress} %</progress> ${job.progress} %</td>
  <td>${job.failCount}</td>
  <td>${when(job.lastRunAt)}</td>
  <td>${when(job.lastFinishedAt)}</td>
  <td>${job.error ? escapeHtml(job.error) : ''}</td>
  <td>${retry}</td>
</tr>`;
}

/**
 * Every plugin's background jobs in one place (transcodes, recordings finalized, hand-overs between plugins, webhook
 * deliveries): their state and progress, why a failed one failed, and a button to run it again. The job's data is
 * not shown: it may name what its owner keeps private.
 */
export function jobsPage(jobs: JobsView): Router {
  const router = new Router();
  router.get(JOBS_PAGE.path, permissionPage(JOBS_PAGE.permission), async (ctx) => {
    const state = STATES.find((s) => s === ctx.query.state);
    const recent = await jobs.recent(SHOWN);
    const shown = state ? recent.filter((job) => job.state === state) : recent;
    const counts = STATES.map((s) => `<a href="/be/jobs?state=${s}">${s}: ${recent.filter((job) => job.state === s).length}</a>`).join(' · ');
    ctx.type = 'html';
    ctx.body = backOfficePage(ctx, {
      title: 'Jobs',
      body: `<p>The ${SHOWN} most recent jobs of every plugin: <a href="/be/jobs">all</a> · ${counts}</p>
<table class="jobs">
<thead><tr><th>Job</th><th>State</th><th>Progress</th><th>Failures</th><th>Last run</th><th>Finished</th><th>Error</th><th></th></tr></thead>
<tbody>${shown.map((job) => row(ctx, job)).join('\n') || '<tr><td colspan="8">No jobs.</td></tr>'}</tbody>
</table>`,
    });
  });
  router.post(`${JOBS_PAGE.path}/:id/retry`, permissionPage(JOBS_PAGE.permission), async (ctx) => {
    const job = await jobs.get(ctx.params.id!);
    if (!job) throw new NotFoundError('No such job');
    // A job still queued or running would run twice.
    if (job.state !== 'failed') throw new ConflictError(`Only a failed job can be retried; this one is ${job.state}`);
    await jobs.retry(job.id);
    ctx.status = 303;
    ctx.redirect('/be/jobs');
  });
  return router;
}
