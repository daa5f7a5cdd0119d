const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

interface PageOptions {
  title: string;
  csrfToken: string;
  body: string;
  /** URL of a module that renders the page from its JSON API (served by the back office). */
  script?: string;
  /** Classic scripts loaded before it: libraries that define a global (tus, hls.js…). */
  libraries?: string[];
  nav?: { href: string; label: string }[];
  userEmail?: string;
}

export function renderPage({ title, csrfToken, body, script, libraries = [], nav = [], userEmail }: PageOptions): string {
  const links = nav.map((item) => `<a href="${escapeHtml(item.href)}">${escapeHtml(item.label)}</a>`).join('');
  const header = userEmail
    ? `<header><strong>mediahost</strong><nav>${links}</nav>
        <form method="post" action="/be/logout" class="logout"><input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">
        <span>${escapeHtml(userEmail)}</span> <button type="submit">Sign out</button></form></header>`
    : '<header><strong>mediahost</strong></header>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<title>${escapeHtml(title)} · mediahost</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/be/assets/be.css">
${libraries.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('')}
${script ? `<script type="module" src="${escapeHtml(script)}"></script>` : ''}
</head>
<body>
${header}
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}
