import { byId, el } from './dom.js';
import type { Clip, ClipTrack, EditorData, EditorState, MediaFile, TextItem, TextTrack } from './timeline.js';

export interface TrackEditorContext {
  data: EditorData;
  files: Map<number, MediaFile>;
  state: EditorState;
  /** After an edit; a structural one (add, move, remove) redraws the tracks. */
  changed(redraw?: boolean): void;
  play(clip: Clip): void;
}

const TRACK_TYPES = ['video', 'audio', 'text'] as const;
const toSeconds = (ms: number) => String(Math.round(ms) / 1000);
const toMs = (input: HTMLInputElement) => Math.round(Number(input.value) * 1000);

/**
 * The editor page's track editing (plain DOM): the video clips (in/out in seconds, order, transition), audio clips and
 * texts of `state.tracks`, redrawn after each change.
 */
export function trackEditor({ data, files, state, changed, play }: TrackEditorContext) {
  function trackOf(type: 'text'): TextTrack;
  function trackOf(type: ClipTrack['type']): ClipTrack;
  function trackOf(type: 'video' | 'audio' | 'text'): ClipTrack | TextTrack {
    let track = state.tracks.find((t) => t.type === type);
    if (!track) {
      track = type === 'text' ? { type, texts: [] } : { type, clips: [] };
      state.tracks.push(track);
    }
    return track;
  }
  const fileTitle = (id: number) => files.get(id)?.title ?? `#${id}`;
  const defaultOut = (clip: Clip) => {
    const f = files.get(clip.fileId);
    return f && f.type === 'image' ? (clip.in || 0) + 5000 : f ? f.duration : 0;
  };

  function numberInput(cls: string, label: string, ms: number, onChange: (input: HTMLInputElement) => void, max?: number): HTMLLabelElement {
    const input = el('input', { type: 'number', className: cls, min: '0', step: '0.1', value: toSeconds(ms), title: label });
    input.setAttribute('aria-label', label);
    if (max !== undefined) input.max = toSeconds(max);
    input.onchange = () => onChange(input);
    return el('label', {}, `${label} `, input);
  }

  /** Says, beside the clip, when its in/out points do not fit the file; the server has the last word on save. */
  function checkClip(clip: Clip, row: HTMLElement): void {
    const f = files.get(clip.fileId);
    const out = clip.out ?? defaultOut(clip);
    let problem = '';
    if (f && f.type !== 'image' && out > f.duration) problem = `out is past the end (${toSeconds(f.duration)} s)`;
    else if (out <= (clip.in || 0)) problem = 'out must come after in';
    row.querySelector('.problem')!.textContent = problem;
    row.classList.toggle('invalid', problem !== '');
  }

  function clipRow(track: ClipTrack, clip: Clip, index: number): HTMLElement {
    const f = files.get(clip.fileId);
    const row = el('div', { className: 'item clip' });
    row.dataset.fileId = String(clip.fileId);
    const title = el('span', { className: 'name', textContent: fileTitle(clip.fileId) });
    title.onclick = () => play(clip);
    row.append(title);
    if (track.type === 'video') {
      const max = f && f.type !== 'image' ? f.duration : undefined;
      row.append(numberInput('in', 'In', clip.in || 0, (i) => { clip.in = toMs(i); checkClip(clip, row); changed(); }, max));
      row.append(numberInput('out', 'Out', clip.out ?? defaultOut(clip), (i) => { clip.out = toMs(i); checkClip(clip, row); changed(); }, max));
      if (index > 0) row.append(transitionPicker(clip));
    } else {
      row.append(numberInput('start', 'Start', clip.start || 0, (i) => { clip.start = toMs(i); changed(); }));
    }
    row.append(el('span', { className: 'problem' }));
    const move = (by: number) => {
      const list = track.clips;
      const [moved] = list.splice(index, 1);
      if (!moved) return;
      list.splice(index + by, 0, moved);
      if (index + by === 0) delete moved.transition;
      changed(true);
    };
    const up = el('button', { type: 'button', className: 'up', textContent: '↑', title: 'Move up', disabled: index === 0 });
    up.onclick = () => move(-1);
    const down = el('button', { type: 'button', className: 'down', textContent: '↓', title: 'Move down', disabled: index === track.clips.length - 1 });
    down.onclick = () => move(1);
    const remove = el('button', { type: 'button', className: 'remove', textContent: '✕', title: 'Remove' });
    remove.onclick = () => {
      track.clips.splice(index, 1);
      if (track.clips[0]) delete track.clips[0].transition;
      changed(true);
    };
    row.append(up, down, remove);
    if (track.type === 'video') checkClip(clip, row);
    return row;
  }

  /** The transition from the clip before, and how long the two overlap. */
  function transitionPicker(clip: Clip): HTMLElement {
    const options = data.transitions.map((t) => el('option', { value: t, textContent: t }));
    const select = el('select', { className: 'transition', title: 'Transition from the clip before' }, el('option', { value: '', textContent: 'cut' }), ...options);
    select.value = clip.transition ? clip.transition.type : '';
    const length = numberInput('transition-duration', 'over', clip.transition ? clip.transition.duration : 500, (i) => {
      if (clip.transition) {
        clip.transition.duration = toMs(i);
        changed();
      }
    });
    length.hidden = !clip.transition;
    select.onchange = () => {
      if (select.value) clip.transition = { type: select.value, duration: clip.transition ? clip.transition.duration : toMs(length.querySelector('input')!) };
      else delete clip.transition;
      length.hidden = !clip.transition;
      changed();
    };
    return el('span', { className: 'transition-picker' }, select, length);
  }

  function textRow(track: TextTrack, text: TextItem, index: number): HTMLElement {
    const row = el('div', { className: 'item text-item' });
    const input = el('input', { className: 'text', value: text.text, title: 'Text' });
    input.setAttribute('aria-label', 'Text');
    input.onchange = () => { text.text = input.value; changed(); };
    const color = el('input', { type: 'color', className: 'color', value: text.color || '#ffffff', title: 'Colour' });
    color.onchange = () => { text.color = color.value; changed(); };
    const remove = el('button', { type: 'button', className: 'remove', textContent: '✕', title: 'Remove' });
    remove.onclick = () => { track.texts.splice(index, 1); changed(true); };
    const start = numberInput('start', 'Start', text.start, (i) => { text.start = toMs(i); changed(); });
    const duration = numberInput('duration', 'Duration', text.duration, (i) => { text.duration = toMs(i); changed(); });
    row.append(input, start, duration, color, remove);
    return row;
  }

  function renderTracks(): void {
    const box = byId('tracks');
    box.replaceChildren();
    for (const type of TRACK_TYPES) {
      const track = state.tracks.find((t) => t.type === type);
      const section = el('div', { className: `track ${type}` }, el('h3', { textContent: type }));
      const items = el('div', { className: 'rows' });
      if (track?.type === 'text') track.texts.forEach((t, i) => items.append(textRow(track, t, i)));
      else if (track) track.clips.forEach((c, i) => items.append(clipRow(track, c, i)));
      section.append(items);
      if (type === 'text') {
        const add = el('button', { type: 'button', id: 'add-text', textContent: 'Add text' });
        add.onclick = () => { trackOf('text').texts.push({ text: 'Title', start: 0, duration: 2000, color: '#ffffff' }); changed(true); };
        section.append(add);
      }
      box.append(section);
    }
  }

  function addMedia(file: MediaFile): void {
    if (file.type === 'audio') trackOf('audio').clips.push({ fileId: file.id, start: 0 });
    else trackOf('video').clips.push({ fileId: file.id, in: 0, out: file.type === 'image' ? 5000 : file.duration });
    changed(true);
  }

  function renderMedia(): void {
    const box = byId('media');
    for (const file of data.files) {
      const add = el('button', { type: 'button', className: 'add', textContent: 'Add', title: file.type === 'audio' ? 'Add to the audio track' : 'Add to the video track' });
      add.onclick = () => addMedia(file);
      const label = `${file.title} (${file.type}${file.duration ? `, ${toSeconds(file.duration)} s` : ''})`;
      const item = el('div', { className: 'media-item' }, el('span', { textContent: label }), add);
      item.dataset.fileId = String(file.id);
      box.append(item);
    }
  }

  return { renderTracks, renderMedia };
}
