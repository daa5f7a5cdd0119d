/**
 * The editor page's track editing, as the browser runs it (plain DOM, no build step): the video clips (in/out in
 * seconds, order, transition), audio clips and texts of `state.tracks`, redrawn after each change. Its functions use
 * `data`, `files`, `state`, `changed()` and `play(clip)` from editorPageScript, which follows it in the page.
 */
export const trackEditorScript = String.raw`
const el = (tag, props = {}, ...children) => { const e = Object.assign(document.createElement(tag), props); e.append(...children); return e; };
const toSeconds = (ms) => String(Math.round(ms) / 1000);
const toMs = (input) => Math.round(Number(input.value) * 1000);
const trackOf = (type) => {
  let track = state.tracks.find((t) => t.type === type);
  if (!track) { track = type === 'text' ? { type, texts: [] } : { type, clips: [] }; state.tracks.push(track); }
  return track;
};
const fileTitle = (id) => (files.get(id) ? files.get(id).title : '#' + id);
const defaultOut = (clip) => { const f = files.get(clip.fileId); return f && f.type === 'image' ? (clip.in || 0) + 5000 : f ? f.duration : 0; };
function numberInput(cls, label, ms, onChange, max) {
  const input = el('input', { type: 'number', className: cls, min: '0', step: '0.1', value: toSeconds(ms), title: label });
  input.setAttribute('aria-label', label);
  if (max !== undefined) input.max = toSeconds(max);
  input.onchange = () => onChange(input);
  return el('label', {}, label + ' ', input);
}
/** Says, beside the clip, when its in/out points do not fit the file; the server has the last word on save. */
function checkClip(clip, row) {
  const f = files.get(clip.fileId);
  const out = clip.out ?? defaultOut(clip);
  let problem = '';
  if (f && f.type !== 'image' && out > f.duration) problem = 'out is past the end (' + toSeconds(f.duration) + ' s)';
  else if (out <= (clip.in || 0)) problem = 'out must come after in';
  row.querySelector('.problem').textContent = problem;
  row.classList.toggle('invalid', problem !== '');
}
function clipRow(track, clip, index) {
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
  const move = (by) => { const list = track.clips; const [c] = list.splice(index, 1); list.splice(index + by, 0, c); if (index + by === 0) delete c.transition; changed(true); };
  const up = el('button', { type: 'button', className: 'up', textContent: '↑', title: 'Move up', disabled: index === 0 });
  up.onclick = () => move(-1);
  const down = el('button', { type: 'button', className: 'down', textContent: '↓', title: 'Move down', disabled: index === track.clips.length - 1 });
  down.onclick = () => move(1);
  const remove = el('button', { type: 'button', className: 'remove', textContent: '✕', title: 'Remove' });
  remove.onclick = () => { track.clips.splice(index, 1); if (track.clips[0]) delete track.clips[0].transition; changed(true); };
  row.append(up, down, remove);
  if (track.type === 'video') checkClip(clip, row);
  return row;
}
/** The transition from the clip before, and how long the two overlap. */
function transitionPicker(clip) {
  const select = el('select', { className: 'transition', title: 'Transition from the clip before' }, el('option', { value: '', textContent: 'cut' }), ...data.transitions.map((t) => el('option', { value: t, textContent: t })));
  select.value = clip.transition ? clip.transition.type : '';
  const length = numberInput('transition-duration', 'over', clip.transition ? clip.transition.duration : 500, (i) => { if (clip.transition) { clip.transition.duration = toMs(i); changed(); } });
  length.hidden = !clip.transition;
  select.onchange = () => {
    if (select.value) clip.transition = { type: select.value, duration: clip.transition ? clip.transition.duration : toMs(length.querySelector('input')) };
    else delete clip.transition;
    length.hidden = !clip.transition;
    changed();
  };
  return el('span', { className: 'transition-picker' }, select, length);
}
function textRow(track, text, index) {
  const row = el('div', { className: 'item text-item' });
  const input = el('input', { className: 'text', value: text.text, title: 'Text' });
  input.setAttribute('aria-label', 'Text');
  input.onchange = () => { text.text = input.value; changed(); };
  const color = el('input', { type: 'color', className: 'color', value: text.color || '#ffffff', title: 'Colour' });
  color.onchange = () => { text.color = color.value; changed(); };
  const remove = el('button', { type: 'button', className: 'remove', textContent: '✕', title: 'Remove' });
  remove.onclick = () => { track.texts.splice(index, 1); changed(true); };
  row.append(input, numberInput('start', 'Start', text.start, (i) => { text.start = toMs(i); changed(); }), numberInput('duration', 'Duration', text.duration, (i) => { text.duration = toMs(i); changed(); }), color, remove);
  return row;
}
function renderTracks() {
  const box = document.getElementById('tracks');
  box.replaceChildren();
  for (const type of ['video', 'audio', 'text']) {
    const track = state.tracks.find((t) => t.type === type);
    const section = el('div', { className: 'track ' + type }, el('h3', { textContent: type }));
    const items = el('div', { className: 'rows' });
    if (track && type === 'text') track.texts.forEach((t, i) => items.append(textRow(track, t, i)));
    else if (track) track.clips.forEach((c, i) => items.append(clipRow(track, c, i)));
    section.append(items);
    if (type === 'text') { const add = el('button', { type: 'button', id: 'add-text', textContent: 'Add text' }); add.onclick = () => { trackOf('text').texts.push({ text: 'Title', start: 0, duration: 2000, color: '#ffffff' }); changed(true); }; section.append(add); }
    box.append(section);
  }
}
function addMedia(file) {
  if (file.type === 'audio') trackOf('audio').clips.push({ fileId: file.id, start: 0 });
  else trackOf('video').clips.push({ fileId: file.id, in: 0, out: file.type === 'image' ? 5000 : file.duration });
  changed(true);
}
function renderMedia() {
  const box = document.getElementById('media');
  for (const file of data.files) {
    const add = el('button', { type: 'button', className: 'add', textContent: 'Add', title: file.type === 'audio' ? 'Add to the audio track' : 'Add to the video track' });
    add.onclick = () => addMedia(file);
    const item = el('div', { className: 'media-item' }, el('span', { textContent: file.title + ' (' + file.type + (file.duration ? ', ' + toSeconds(file.duration) + ' s' : '') + ')' }), add);
    item.dataset.fileId = String(file.id);
    box.append(item);
  }
}
`;
