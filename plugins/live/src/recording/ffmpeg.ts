import type { FfmpegCommand, MediaNeeds, MediaToolchain } from '@mediahost/core';
import path from 'node:path';
import { layoutCells, type Cell, type RecordingLayout } from './layouts.js';

/** The live plugin's ffmpeg commands (capture, camera pull, composition), run on the core's media toolchain. */

export interface ProbedFile {
  durationSeconds: number;
  hasAudio: boolean;
  hasVideo: boolean;
}

export interface Capture {
  /** ffmpeg's last lines, to explain a failure. */
  log(): string;
  /** Asks ffmpeg to finish the file ("q"), and waits for it to exit. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
}

export interface ComposeOptions {
  width: number;
  height: number;
  frameRate: number;
  durationSeconds: number;
  audio: boolean;
  video: boolean;
  layout: RecordingLayout;
}

/** What these commands ask of ffmpeg; the composition's part is checked against composeCommand() by its test. */
export const LIVE_MEDIA_NEEDS: MediaNeeds = {
  encoders: ['libx264', 'aac', 'libopus', 'libvpx'],
  muxers: ['mp4', 'webm', 'matroska', 'rtp', 'flv'],
  demuxers: ['sdp', 'rtp', 'rtsp', 'matroska', 'webm'],
  filters: ['color', 'setpts', 'scale', 'pad', 'setsar', 'overlay', 'aresample', 'adelay', 'amix', 'anull'],
  protocols: ['file', 'udp', 'rtp', 'tcp', 'rtmp'],
};

export interface ComposeInput {
  file: string;
  /** Seconds from the start of the recording. */
  offset: number;
  hasAudio: boolean;
  hasVideo: boolean;
}

/**
 * A camera is pulled from a URL a client gave: its network protocols only, and containers that hold one stream
 * (no playlists or manifests, which would make ffmpeg fetch further URLs of their choosing).
 */
const CAMERA_INPUT_OPTIONS = [
  '-protocol_whitelist', 'rtsp,rtsps,rtp,srtp,udp,tcp,tls,http,https,httpproxy,crypto',
  '-format_whitelist', 'rtsp,sdp,rtp,mov,matroska,mpegts,flv,mjpeg,mpjpeg,h264,hevc,avi,asf,ogg,mp3,aac,wav',
];

/**
 * RTSP over TCP first (it passes firewalls and loses nothing), UDP when the camera answers 461 to TCP, as some
 * cameras and servers only do UDP.
 */
const RTSP_INPUT_OPTIONS = (networkCacheMs: number) => ['-rtsp_flags', 'prefer_tcp', '-max_delay', String(networkCacheMs * 1000)];

/** Scales a video to fit its cell, keeping its aspect ratio, the rest of the cell black. */
const fitInto = ({ width, height }: Cell) => `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1`;

export class LiveFfmpeg {
  constructor(private readonly media: MediaToolchain) {}

  /** Writes the RTP described by an SDP file to `output`, streams copied as they are. */
  captureRtp(sdpFile: string, output: string): Capture {
    // The SDP is the plugin's own, describing RTP from its own engine on loopback.
    const command = this.media
      .command(sdpFile, { trusted: true })
      .inputOptions(['-protocol_whitelist', 'file,udp,rtp', '-analyzeduration', '3000000', '-probesize', '5000000', '-reorder_queue_size', '200'])
      .outputOptions(['-c', 'copy', '-flush_packets', '1', '-cluster_time_limit', '1000', '-y'])
      .output(output);
    let stopping = false;
    const lines: string[] = [];
    command.on('stderr', (line: string) => {
      lines.push(line);
      if (lines.length > 8) lines.shift();
    });
    const done = new Promise<void>((resolve, reject) => {
      command.on('end', () => resolve());
      command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        if (stopping && /signal|code 255/.test(error.message)) return resolve();
        reject(new Error(`ffmpeg capture failed: ${error.message.split('\n')[0]}\n${(stderr ?? '').split('\n').slice(-5).join('\n')}`));
      });
    });
    done.catch(() => undefined);
    command.run();
    return {
      done,
      log: () => lines.join('\n'),
      stop: async () => {
        stopping = true;
        const proc = (command as unknown as { ffmpegProc?: import('node:child_process').ChildProcess }).ffmpegProc;
        // ffmpeg finishes the file on SIGINT once its current read returns: at the next packet (the recorder sends
        // one when the stream has gone quiet), else when the input times out (about 12 s of silence). A second
        // SIGINT would interrupt the trailer too, leaving a file without duration or index.
        proc?.kill('SIGINT');
        const killer = setTimeout(() => proc?.kill('SIGKILL'), 20_000);
        try {
          await done;
        } finally {
          clearTimeout(killer);
        }
      },
    };
  }

  /**
   * Pulls an IP camera (rtsp, http…) in real time and sends it as RTP to loopback ports: VP8 (payload type 96,
   * a key frame every second, since ffmpeg cannot be asked for one) and Opus (111).
   */
  pullToRtp(uri: string, ports: { video: number; audio: number }, { videoKbps = 1000, networkCacheMs = 2000 } = {}): Capture {
    const command = this.media
      .command(uri, { trusted: true })
      .inputOptions(['-re', ...CAMERA_INPUT_OPTIONS, ...(uri.startsWith('rtsp') ? RTSP_INPUT_OPTIONS(networkCacheMs) : [])])
      .output(`rtp://127.0.0.1:${ports.video}?pkt_size=1200`)
      .outputOptions(['-map', '0:v:0', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${videoKbps}k`, '-g', '25', '-keyint_min', '25', '-payload_type', '96', '-ssrc', '1111', '-f', 'rtp'])
      .output(`rtp://127.0.0.1:${ports.audio}?pkt_size=1200`)
      .outputOptions(['-map', '0:a:0?', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k', '-payload_type', '111', '-ssrc', '2222', '-f', 'rtp']);
    const lines: string[] = [];
    command.on('stderr', (line: string) => {
      lines.push(line);
      if (lines.length > 8) lines.shift();
    });
    let stopping = false;
    const done = new Promise<void>((resolve, reject) => {
      command.on('end', () => resolve());
      command.on('error', (error: Error) => (stopping ? resolve() : reject(new Error(`ffmpeg could not pull ${uri}: ${error.message.split('\n')[0]}\n${lines.slice(-4).join('\n')}`))));
    });
    done.catch(() => undefined);
    command.run();
    return {
      done,
      log: () => lines.join('\n'),
      stop: async () => {
        stopping = true;
        command.kill('SIGKILL');
        await done;
      },
    };
  }

  /**
   * Broadcasts the RTP an SDP describes (stream `videos`/`audios` by index) to an RTMP URL in real time: the videos
   * laid out (layoutCells) on a black canvas, the audios mixed, H.264/AAC in FLV. Resolves `live` once ffmpeg is sending.
   */
  broadcastRtp(sdpFile: string, url: string, layout: { videos: number[]; audios: number[]; width: number; height: number; frameRate: number; layout: RecordingLayout }): Capture & { live: Promise<void> } {
    const { videos, audios, width, height, frameRate } = layout;
    const filters: string[] = [];
    const maps: string[] = [];
    if (videos.length) {
      const cells = layoutCells(layout.layout, videos.length, width, height);
      filters.push(`color=c=black:s=${width}x${height}:r=${frameRate}[base0]`);
      videos.forEach((index, n) => {
        filters.push(
          `[0:${index}]setpts=PTS-STARTPTS,${fitInto(cells[n]!)}[v${n}]`,
          `[base${n}][v${n}]overlay=x=${cells[n]!.x}:y=${cells[n]!.y}:eof_action=pass[base${n + 1}]`,
        );
      });
      maps.push(`[base${videos.length}]`);
    }
    if (audios.length) {
      audios.forEach((index, n) => filters.push(`[0:${index}]aresample=48000[a${n}]`));
      filters.push(audios.length > 1 ? `${audios.map((_, n) => `[a${n}]`).join('')}amix=inputs=${audios.length}:duration=longest:normalize=0[aout]` : '[a0]anull[aout]');
      maps.push('[aout]');
    }
    const command = this.media
      .command(sdpFile, { trusted: true })
      .inputOptions(['-protocol_whitelist', 'file,udp,rtp', '-analyzeduration', '2000000', '-probesize', '5000000', '-reorder_queue_size', '200'])
      .complexFilter(filters, maps)
      .outputOptions([
        ...(videos.length ? ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-r', String(frameRate), '-g', String(frameRate * 2)] : []),
        ...(audios.length ? ['-c:a', 'aac', '-b:a', '128k'] : []),
        '-f', 'flv',
      ])
      .output(url);
    const lines: string[] = [];
    command.on('stderr', (line: string) => {
      lines.push(line);
      if (lines.length > 8) lines.shift();
    });
    let stopping = false;
    let markLive: () => void = () => undefined;
    const live = new Promise<void>((resolve) => (markLive = resolve));
    command.on('progress', () => markLive());
    const done = new Promise<void>((resolve, reject) => {
      command.on('end', () => resolve());
      command.on('error', (error: Error) => (stopping ? resolve() : reject(new Error(`ffmpeg broadcast failed: ${error.message.split('\n')[0]}\n${lines.slice(-4).join('\n')}`))));
    });
    done.catch(() => undefined);
    command.run();
    return {
      done,
      live,
      log: () => lines.join('\n'),
      stop: async () => {
        stopping = true;
        command.kill('SIGKILL');
        await done;
      },
    };
  }

  /** A recording the plugin wrote itself. */
  async probe(file: string): Promise<ProbedFile> {
    const probed = await this.media.probe(file, { trusted: true }).catch((error: Error) => {
      throw new Error(`ffprobe ${path.basename(file)}: ${error.message}`);
    });
    return {
      durationSeconds: probed.durationSeconds,
      hasAudio: probed.streams.some((s) => s.type === 'audio'),
      hasVideo: probed.streams.some((s) => s.type === 'video'),
    };
  }

  /**
   * The videos laid out (layoutCells) over a black canvas of the recording's resolution, each appearing at its
   * offset; the audios mixed. With video → H.264/AAC MP4; audio only → Opus WebM.
   */
  compose(inputs: ComposeInput[], output: string, options: ComposeOptions): Promise<void> {
    return this.media.run(this.composeCommand(inputs, output, options), { durationSeconds: options.durationSeconds });
  }

  composeCommand(inputs: ComposeInput[], output: string, options: ComposeOptions): FfmpegCommand {
    const { width, height, frameRate, durationSeconds } = options;
    const command = this.media.command();
    for (const input of inputs) this.media.addInput(command, input.file, { trusted: true });
    const filters: string[] = [];
    const videos = options.video ? inputs.map((input, index) => ({ input, index })).filter(({ input }) => input.hasVideo) : [];
    const audios = options.audio ? inputs.map((input, index) => ({ input, index })).filter(({ input }) => input.hasAudio) : [];
    const maps: string[] = [];
    if (options.video) {
      const cells = layoutCells(options.layout, videos.length, width, height);
      filters.push(`color=c=black:s=${width}x${height}:r=${frameRate}:d=${durationSeconds.toFixed(3)}[base0]`);
      videos.forEach(({ input, index }, n) => {
        filters.push(
          `[${index}:v]setpts=PTS-STARTPTS+${input.offset.toFixed(3)}/TB,${fitInto(cells[n]!)}[v${n}]`,
          `[base${n}][v${n}]overlay=x=${cells[n]!.x}:y=${cells[n]!.y}:eof_action=pass[base${n + 1}]`,
        );
      });
      maps.push(`[base${videos.length}]`);
    }
    if (audios.length) {
      audios.forEach(({ input, index }, n) => {
        const ms = Math.round(input.offset * 1000);
        filters.push(`[${index}:a]aresample=48000,adelay=${ms}|${ms}[a${n}]`);
      });
      filters.push(audios.length > 1 ? `${audios.map((_, n) => `[a${n}]`).join('')}amix=inputs=${audios.length}:duration=longest:normalize=0[aout]` : '[a0]anull[aout]');
      maps.push('[aout]');
    }
    command.complexFilter(filters, maps);
    const codecs = options.video
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-r', String(frameRate), ...(audios.length ? ['-c:a', 'aac', '-b:a', '128k'] : []), '-movflags', '+faststart']
      : ['-c:a', 'libopus', '-b:a', '96k'];
    command.outputOptions([...codecs, '-t', durationSeconds.toFixed(3), '-y', '-f', options.video ? 'mp4' : 'webm']).output(output);
    return command;
  }
}
