import { defineEvent, defineJob, z, type Plugin } from '@mediahost/core';
import { greetingRoutes } from './routes/greetingRoutes.js';

const configSchema = z.strictObject({
  greeting: z.string().min(1).default('Hello'),
  /** How long each of the ten steps of the count job takes. */
  stepMs: z.number().int().min(0).default(100),
});
type HelloConfig = z.infer<typeof configSchema>;

const GREET_PERMISSION = 'hello.greet';
const HELLO_SCOPE = 'hello';

/**
 * The smallest complete plugin: a configuration file (conf/helloConf.json), a permission, a scope, a route group on
 * each surface with its guard, paths from ctx.urls, a persisted job, and a hook for one kind of process.
 */
const hello: Plugin<HelloConfig> = {
  name: 'hello',
  config: configSchema,
  permissions: [{ id: GREET_PERMISSION, description: 'Read the greeting in the back office' }],
  scopes: [{ id: HELLO_SCOPE, description: 'Use the hello web service' }],

  setup({ config, auth, jobs, logger, routes, urls, events, ids }) {
    // A typed platform event: other plugins subscribe by declaring the same name and payload type.
    const counted = defineEvent<{ jobId: string; steps: number }>('hello.counted');
    events.on(counted, ({ jobId, steps }) => void logger.info(`count job ${jobId} counted to ${steps}`));

    // A persisted job: registered below (jobs), enqueued through its typed handle.
    const count = defineJob<{ steps: number }>(
      'count',
      async ({ steps }, job) => {
        for (let step = 1; step <= steps; step += 1) {
          await new Promise((resolve) => setTimeout(resolve, config.stepMs));
          await job.progress((step / steps) * 100);
        }
        logger.info(`count job ${job.id} done`);
        events.emit(counted, { jobId: job.id, steps });
      },
      { lockLifetimeMs: 3000 },
    );

    // Web service: /hello/... on the web-service port, every route of the group behind a token with the "hello" scope.
    routes.webService({ scope: HELLO_SCOPE }).use(greetingRoutes({ greeting: config.greeting, auth, jobs, counts: jobs.handle(count), ids, urls }).routes());

    // Web service without credentials: /hello/about, for what an API must answer before a login.
    routes.webServicePublic().get('/about', (ctx) => {
      ctx.body = { plugin: 'hello', greeting: urls.absolute.webService('/greeting') };
    });

    // Back office: /be/hello/... for signed-in users; this group also needs the hello.greet permission…
    routes.backOffice({ permission: GREET_PERMISSION }).get('/greeting', (ctx) => {
      ctx.body = { greeting: `${config.greeting}, ${auth.user(ctx)?.email}` };
    });
    // …and this one only a sign-in: groups with different guards share the prefix.
    routes.backOffice().get('/whoami', (ctx) => {
      ctx.body = { email: auth.user(ctx)?.email, page: urls.backOffice('/whoami') };
    });

    // Public pages: /hello/... on the back-office port, no sign-in.
    routes
      .public()
      .get('/ping', (ctx) => {
        ctx.body = { pong: true };
      })
      .get('/wait', async (ctx) => {
        const ms = Math.min(Number(ctx.query.ms) || 0, 5000);
        await new Promise((resolve) => setTimeout(resolve, ms));
        ctx.body = { waited: ms };
      });

    return {
      jobs: [count],
      // Behind GET /hello/health, which the core answers: throw when the plugin cannot serve (here, without its job queue).
      async health() {
        await jobs.get('000000000000000000000000');
      },
      // Runs in every process; a role's hooks run after start and before stop.
      async start() {
        logger.debug('hello started');
      },
      // What one kind of process alone runs: here the back office says where its public page is.
      roles: {
        app: {
          start() {
            logger.info(`hello: ping at ${urls.absolute.public('/ping')}`);
          },
        },
      },
    };
  },
};

export default hello;
