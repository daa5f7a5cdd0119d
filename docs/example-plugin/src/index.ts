import { defineJob, Router, z, type Plugin } from '@mediahost/core';

const configSchema = z.strictObject({
  greeting: z.string().min(1).default('Hello'),
  /** How long each of the ten steps of the count job takes. */
  stepMs: z.number().int().min(0).default(100),
});
type HelloConfig = z.infer<typeof configSchema>;

/**
 * The smallest complete plugin: a configuration file (conf/helloConf.json), a permission, a scope,
 * one route in each of the three places a plugin can mount, and a persisted job.
 */
const hello: Plugin<HelloConfig> = {
  name: 'hello',
  config: configSchema,
  permissions: [{ id: 'hello.greet', description: 'Read the greeting in the back office' }],
  scopes: [{ id: 'hello', description: 'Use the hello web service' }],

  setup({ config, auth, jobs, logger }) {
    // A persisted job: registered below (jobs), enqueued through its typed handle.
    const count = defineJob<{ steps: number }>(
      'count',
      async ({ steps }, job) => {
        for (let step = 1; step <= steps; step += 1) {
          await new Promise((resolve) => setTimeout(resolve, config.stepMs));
          await job.progress((step / steps) * 100);
        }
        logger.info(`count job ${job.id} done`);
      },
      { lockLifetimeMs: 3000 },
    );
    const counts = jobs.handle(count);

    // Web service: /hello/... on the web-service port, behind a Bearer token with the "hello" scope.
    const webService = new Router()
      .get('/greeting', auth.requireScope('hello'), (ctx) => {
        ctx.body = { greeting: config.greeting, clientId: auth.principal(ctx)?.clientId };
      })
      .post('/counts', auth.requireScope('hello'), async (ctx) => {
        ctx.status = 202;
        ctx.body = { jobId: await counts.enqueue({ steps: 10 }) };
      })
      .get('/counts/:id', auth.requireScope('hello'), async (ctx) => {
        const job = await jobs.get(ctx.params.id!);
        ctx.status = job ? 200 : 404;
        ctx.body = job ?? { error: { code: 'not_found', module: 'hello', message: 'No such job' } };
      });

    // Back office: /be/hello/... for signed-in users; this route also needs the hello.greet permission.
    const backOffice = new Router().get('/greeting', auth.requirePermission('hello.greet'), (ctx) => {
      ctx.body = { greeting: `${config.greeting}, ${auth.user(ctx)?.email}` };
    });

    // Public pages: /hello/... on the back-office port, no sign-in.
    const publicRoutes = new Router()
      .get('/ping', (ctx) => {
        ctx.body = { pong: true };
      })
      .get('/wait', async (ctx) => {
        const ms = Math.min(Number(ctx.query.ms) || 0, 5000);
        await new Promise((resolve) => setTimeout(resolve, ms));
        ctx.body = { waited: ms };
      });

    return {
      webService,
      backOffice,
      public: publicRoutes,
      jobs: [count],
    };
  },
};

export default hello;
