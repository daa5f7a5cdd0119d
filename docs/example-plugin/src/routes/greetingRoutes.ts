import { Router, type JobHandle, type JobQueue, type NumericIds, type PluginAuth, type PluginUrls } from '@mediahost/core';

/** What the web-service routes need, passed as one object: a route factory never takes a list of positional arguments. */
export interface GreetingRouteDeps {
  greeting: string;
  auth: PluginAuth;
  jobs: JobQueue;
  /** The count job's typed handle: its payload is checked where it is enqueued. */
  counts: JobHandle<{ steps: number }>;
  /** The core's numeric ids (one sequence per name, safe with several processes on FerretDB and MongoDB). */
  ids: NumericIds;
  urls: PluginUrls;
}

/** The web-service API, relative to the group's prefix: no guard here, the group it is mounted in carries the scope. */
export function greetingRoutes({ greeting, auth, jobs, counts, ids, urls }: GreetingRouteDeps): Router {
  return new Router()
    .get('/greeting', (ctx) => {
      ctx.body = { greeting, clientId: auth.principal(ctx)?.clientId };
    })
    .post('/counts', async (ctx) => {
      const jobId = await counts.enqueue({ steps: 10 });
      ctx.status = 202;
      // a path the core built from its own prefix, never a hard-coded /hello
      ctx.set('Location', urls.webService(`/counts/${jobId}`));
      ctx.body = { jobId };
    })
    .post('/tickets', async (ctx) => {
      ctx.status = 201;
      ctx.body = { ticket: await ids.next('ticket') };
    })
    .get('/counts/:id', async (ctx) => {
      const job = await jobs.get(ctx.params.id!);
      ctx.status = job ? 200 : 404;
      ctx.body = job ?? { error: { code: 'not_found', module: 'hello', message: 'No such job' } };
    });
}
