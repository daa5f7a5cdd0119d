/** @mediahost/core: the one import path for plugins. */
import './http/requestBody.js';
import './http/requestState.js';
import './auth/requestState.js';
import './backoffice/requestState.js';
export type { Plugin, PluginContext, PluginParts, PluginAuth, PluginRoutes, PluginUrls, LifecycleHooks, ScopeGuard, PermissionGuard, BackOfficeUser, ProcessRole } from './plugins/contract.js';
export type { PermissionSpec, ScopeSpec } from './identity/catalog.js';
export type { PluginUser, PluginUsers, NewPluginUser, PluginUserChanges } from './identity/pluginUsers.js';
export type { JobQueue, JobRun, JobSpec, JobStatus, JobState } from './jobs/types.js';
export { defineJob, jobType } from './jobs/defineJob.js';
export type { JobDefinition, JobHandle, JobOptions, JobType } from './jobs/defineJob.js';
export { defineEvent, EventBus, EventDeliveryError } from './events/eventBus.js';
export type { EventListener, EventType } from './events/eventBus.js';
export { isTransientError, JobInterruptedError } from './jobs/transientErrors.js';
export type { Logger } from './log/createLogger.js';
export type { BucketLocation, ByteRange, S3ClientSettings, Storage, StoredObject } from './storage/storage.js';
export type { NumericIds } from './ids/numericIds.js';
export type { Webhooks, WebhookRequest, DeliveryDoc, DeliveryAttempt, DeliveryStatus } from './webhooks/deliveries.js';
export type { WebhookSubscriptions, WebhookSubscription, SubscriptionInput, WebhookTarget } from './webhooks/subscriptions.js';
export type { Principal } from './identity/principal.js';
export type { Authenticator } from './auth/bearer.js';
export type { ThrottleLimits } from './auth/loginThrottle.js';
export { grantsPermission } from './auth/permissions.js';
export type { ErrorFormat } from './http/errorHandler.js';
export type { Pagination, PaginationQuery } from './http/pagination.js';

export {
  HttpError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  TooManyRequestsError,
  ServiceUnavailableError,
  OAuthError,
} from './errors.js';
export { useErrorFormat, openveoErrorFormat } from './http/errorHandler.js';
export { allowedMethodsAsErrors } from './http/mount.js';
export { ApiDescription, koaPath } from './openapi/apiDescription.js';
export { describedRouter, type DescribedRoute } from './openapi/describedRouter.js';
export { oauthErrorSchema, openveoErrorSchema } from './http/errorSchemas.js';
export type { ApiInfo, HttpMethod, OperationSpec, ResponseSpec, SecurityRequirement } from './openapi/apiDescription.js';
export type { OpenApiDocument } from './openapi/openapiDocument.js';
export { redactUrl } from './log/redactUrl.js';
export { backOfficePage } from './backoffice/navigation.js';
export { escapeHtml } from './backoffice/html.js';
export { parseInput } from './http/validate.js';
export { paginationQuerySchema, paginationSchema, paginationOf } from './http/pagination.js';
export { generateSecret, hashSecret, secretMatches } from './credentials/secrets.js';
export { Router } from './http/router.js';
export { sendStored } from './http/sendStored.js';
export { withLocalCopies } from './storage/localCopies.js';
export type { SendStoredOptions } from './http/sendStored.js';
export { z } from 'zod';
/** The database layer plugins define their models with, on ctx.db. */
export { Schema, Types } from 'mongoose';
export type { Connection, Model, InferSchemaType } from 'mongoose';
export { safeDownload, assertWebUrl, DownloadRefusedError, DownloadTooLargeError } from './net/safeDownload.js';
export type { SafeDownloadOptions, Downloaded } from './net/safeDownload.js';
export { MediaToolchain } from './media/toolchain.js';
export type { FfmpegCommand, RunOptions, ProbeOptions } from './media/toolchain.js';
export { NotMediaError } from './media/probe.js';
export { MEDIA_NOT_FOUND, StoredMediaRegistry } from './media/storedMedia.js';
export type { MediaRequester, StoredMedia, StoredMediaOpener, StoredMediaResolver } from './media/storedMedia.js';
export type { ProbeResult, ProbedStream, MediaLimits } from './media/probe.js';
export { mediaLimitsSchema } from './media/mediaLimitsSchema.js';
export type { MediaNeeds } from './media/mediaNeeds.js';
export type { ChangeFeed, ChangeListener } from './changes/changeFeed.js';
export type { MediaBinaries } from './media/locateBinaries.js';
export { reachOutbound, OutboundUnreachableError } from './net/outboundAddress.js';
export type { OutboundOptions } from './net/outboundAddress.js';
