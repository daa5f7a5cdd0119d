import sanitizeHtml from 'sanitize-html';

/**
 * What a page may hold: text formatting, headings, lists, tables, links and images over http(s). No script, no event
 * handler attribute, no style, no frame, no form, no javascript: or data: URL: whatever else an admin pastes is
 * dropped before it is stored, so no reader of the page (the VideoCMS front end's v-html, our page view) runs it.
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2'],
  allowedAttributes: { a: ['href', 'title', 'target', 'rel'], img: ['src', 'alt', 'title', 'width', 'height'], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};

export function sanitizePageHtml(html: string): string {
  return sanitizeHtml(html, POLICY);
}
