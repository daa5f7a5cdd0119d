import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Schema, type Connection, type Model } from 'mongoose';
import { redactUrl } from '../log/redactUrl.js';
import { assertWebUrl } from '../net/safeDownload.js';
import type { JobSpec } from '../jobs/types.js';
import type { JobQueueService } from '../jobs/jobQueue.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  at: Date;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface DeliveryDoc {
  _id: string;
  plugin: string;
  hookId: string;
  event: string;
  url: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  createdAt: Date;
  deliveredAt?: Date;
}

export interface WebhookRequest {
  hookId: string;
  event: string;
  url: string;
  headers: Record<string, string>;
  /** Sent as is; give JSON.stringify's output for a JSON body. */
  body: string;
}

/** How a plugin sends webhooks: delivery is persisted, retried with backoff until a 2xx, and logged. */
export interface Webhooks {
  send(request: WebhookRequest): Promise<string>;
  deliveries(hookId: string, limit?: number): Promise<DeliveryDoc[]>;
}

export interface WebhookSettings {
  maxRetries: number;
  retryDelayMs: number;
  timeoutMs: number;
  allowedNetworks: string[];
}

const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    plugin: { type: String, required: true },
    hookId: { type: String, required: true, index: true },
    event: { type: String, required: true },
    url: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: [new Schema<DeliveryAttempt>({ at: Date, status: Number, error: String, durationMs: Number }, { _id: false })], default: [] },
    deliveredAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

const JOB = 'core.webhook';
interface DeliveryJob {
  deliveryId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function post(job: DeliveryJob, settings: WebhookSettings): Promise<number> {
  const url = assertWebUrl(job.url);
  const filter = { allowIPAddressList: settings.allowedNetworks, allowPrivateIPAddress: false, allowMetaIPAddress: false };
  const agent = url.protocol === 'https:' ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      { method: 'POST', agent, timeout: settings.timeoutMs, headers: { 'Content-Type': 'application/json', 'User-Agent': 'mediahost-webhooks', ...job.headers, 'Content-Length': Buffer.byteLength(job.body) } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${settings.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(job.body);
  });
}

/** The core's webhook delivery: one persisted job per delivery, so a restart loses none. */
export class WebhookDeliveries {
  readonly model: Model<DeliveryDoc>;

  constructor(
    connection: Connection,
    private readonly jobs: JobQueueService,
    private readonly settings: WebhookSettings,
  ) {
    this.model = connection.model<DeliveryDoc>('WebhookDelivery', deliverySchema, 'core_webhook_deliveries');
  }

  job(): JobSpec<DeliveryJob> {
    return {
      name: JOB,
      concurrency: 4,
      maxRetries: this.settings.maxRetries,
      retryDelayMs: this.settings.retryDelayMs,
      lockLifetimeMs: this.settings.timeoutMs * 3,
      run: async ({ data, attempt }) => {
        const started = Date.now();
        let status: number | undefined;
        let error: string | undefined;
        try {
          status = await post(data, this.settings);
          if (status < 200 || status >= 300) error = `answered ${status}`;
        } catch (caught) {
          error = (caught as Error).message;
        }
        const delivered = !error;
        const final = delivered || attempt >= this.settings.maxRetries;
        await this.model.updateOne(
          { _id: data.deliveryId },
          {
            $push: { attempts: { at: new Date(started), status, error, durationMs: Date.now() - started } },
            $set: { status: delivered ? 'delivered' : final ? 'failed' : 'pending', ...(delivered ? { deliveredAt: new Date() } : {}) },
          },
        );
        // the job queue logs this message; a hook URL may carry credentials
        if (error) throw new Error(`webhook ${redactUrl(data.url)}: ${error}`);
      },
    };
  }

  forPlugin(plugin: string): Webhooks {
    return {
      send: async ({ hookId, event, url, headers, body }) => {
        const deliveryId = randomUUID();
        await this.model.create({ _id: deliveryId, plugin, hookId, event, url, status: 'pending' });
        await this.jobs.enqueue(JOB, { deliveryId, url, headers, body });
        return deliveryId;
      },
      deliveries: (hookId, limit = 50) => this.model.find({ plugin, hookId }).sort({ createdAt: -1 }).limit(limit).lean<DeliveryDoc[]>().exec(),
    };
  }
}
