import { hlsSegmentBench } from './hlsSegmentBench.js';
import { publishConf } from './publishConf.js';
import type { Row } from './row.js';
import { transcodeBench } from './transcodeBench.js';
import { tusUploadBench } from './tusUploadBench.js';
import { bearerToken, startPlatform, type Defer } from './platformFixture.js';

/** The publish plugin on both processes: upload throughput, transcoding wall time, then HLS segments of that transcode. */
export async function publishBench(defer: Defer): Promise<Row[]> {
  const platform = await startPlatform(defer, { plugins: ['publish'], scopes: ['publish'], confFiles: { 'publishConf.json': publishConf }, backOffice: true });
  const token = await bearerToken(platform);
  const upload = await tusUploadBench(defer, platform, token);
  const transcode = await transcodeBench(defer, platform, token);
  const segments = await hlsSegmentBench(defer, platform, transcode.uuid);
  return [upload, transcode.row, ...segments];
}
