import type HlsType from 'hls.js';

declare const Hls: typeof HlsType;

/** Wires hls.js to the page's video and to the quality, audio and subtitle selectors. */
function start(): void {
  const video = document.getElementById('player') as HTMLVideoElement;
  const quality = document.getElementById('quality') as HTMLSelectElement;
  const audio = document.getElementById('audio') as HTMLSelectElement;
  const subtitles = document.getElementById('subtitles') as HTMLSelectElement;
  const master = video.dataset.master!;

  if (!Hls.isSupported()) {
    video.src = master;
    return;
  }
  const hls = new Hls({ capLevelToPlayerSize: false });
  (window as unknown as { hls: HlsType }).hls = hls;
  hls.loadSource(master);
  hls.attachMedia(video);

  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    hls.levels.forEach((level, i) => quality.add(new Option(`${level.height}p`, String(i))));
  });
  hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, () => {
    audio.replaceChildren(...hls.audioTracks.map((track, i) => new Option(track.name || track.lang || `Track ${i + 1}`, String(i), false, i === hls.audioTrack)));
  });
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, () => {
    subtitles.replaceChildren(new Option('Off', '-1'), ...hls.subtitleTracks.map((track, i) => new Option(track.name || track.lang || `Subtitles ${i + 1}`, String(i))));
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
    document.body.dataset.level = String(data.level);
  });

  quality.addEventListener('change', () => {
    hls.currentLevel = Number(quality.value);
  });
  audio.addEventListener('change', () => {
    hls.audioTrack = Number(audio.value);
  });
  subtitles.addEventListener('change', () => {
    hls.subtitleTrack = Number(subtitles.value);
  });
}

start();
