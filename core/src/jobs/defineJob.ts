import type { JobRun, JobSpec } from './types.js';

/** How the queue runs a job (see JobSpec for each option). */
export type JobOptions = Pick<JobSpec, 'concurrency' | 'maxRetries' | 'retryDelayMs' | 'lockLifetimeMs'>;

declare const payloadType: unique symbol;

/**
 * A job's name and the type of its payload, declared once by the plugin that runs it. Services enqueue through a
 * JobHandle bound to it, so a payload of the wrong shape does not compile and no name travels as a bare string.
 */
export interface JobType<P> {
  /** Unique within the plugin; the queue stores it as "<plugin>.<name>". */
  readonly name: string;
  /** Never set: it only carries P. */
  readonly [payloadType]?: P;
}

/** A job's type and how it runs: what a plugin registers (PluginParts.jobs). */
export interface JobDefinition<P> extends JobType<P> {
  readonly options: JobOptions;
  /** Method syntax on purpose: definitions of every payload type fit in one JobDefinition<unknown>[]. */
  handle(payload: P, run: JobRun<P>): Promise<void>;
}

/** What a service holds to enqueue one job. */
export interface JobHandle<P> {
  readonly name: string;
  /** Persists a run of the job with this payload; resolves to the job's id. */
  enqueue(payload: P): Promise<string>;
}

/** Declares a job's name and payload type apart from its handler, for a service built before the handler's dependencies. */
export function jobType<P>(name: string): JobType<P> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`Job name "${name}" must be letters, digits, "_" or "-": the plugin's name is prefixed by the queue`);
  return { name };
}

/**
 * A job and its handler: `defineJob<{ fileId: string }>('transcode', async (payload, run) => …, { concurrency: 2 })`.
 * Pass the JobType instead of the name when services need the job's handle before the handler can be built.
 */
export function defineJob<P>(job: string | JobType<P>, handler: (payload: P, run: JobRun<P>) => Promise<void>, options: JobOptions = {}): JobDefinition<P> {
  const { name } = typeof job === 'string' ? jobType<P>(job) : job;
  return { name, options, handle: handler };
}

/** The runner's spec of a plugin's job, under its namespaced name. */
export function jobSpecOf(definition: JobDefinition<unknown>, namespacedName: string): JobSpec {
  return { ...definition.options, name: namespacedName, run: (run) => definition.handle(run.data, run) };
}
