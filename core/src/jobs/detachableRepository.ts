import type { MongoBackend } from '@agendajs/mongo-backend';

type Repository = MongoBackend['repository'];

/**
 * Lets the queue take a job out of agenda's hands: once detached, agenda's own writes of that job's state (touch,
 * the save after a run) are dropped, since the queue has put the job back itself or another runner owns it now.
 */
export class DetachedJobs {
  private readonly ids = new Set<string>();

  constructor(repository: Repository) {
    const save = repository.saveJobState.bind(repository);
    repository.saveJobState = async (job, options) => {
      if (job._id !== undefined && this.ids.has(String(job._id))) return;
      await save(job, options);
    };
  }

  detach(jobId: string): void {
    this.ids.add(jobId);
  }

  /** Called once agenda is done with its copy of the job (after its last save). */
  release(jobId: string): void {
    this.ids.delete(jobId);
  }
}
