// Serves a mystmd site as plain HTML pages: mystmd's content server holds each page's
// MyST AST (`/content/<slug>.json`); myst-to-html renders it. `myst build --html` fetches
// every page from this server and writes the static site.
import http from 'node:http';
import { mystToHtml } from 'myst-to-html';

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || 'localhost';
const content = `http://${host}:${process.env.CONTENT_CDN_PORT || 3100}`;

const ASSETS = {
  '/robots.txt': ['text/plain', 'User-agent: *\n'],
  '/myst-theme.css': ['text/css', ''],
  '/sitemap.xml': ['application/xml', '<?xml version="1.0"?><urlset/>'],
  '/sitemap_style.xsl': ['application/xml', '<?xml version="1.0"?><xsl/>'],
  '/favicon.ico': ['image/x-icon', ''],
};

function escape(text) {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

async function json(path) {
  const response = await fetch(`${content}${path}`);
  if (!response.ok) return undefined;
  return response.json();
}

// mystmd stores a page's images under build/ in the static site; a leaf the renderer
// does not know (a directive mystmd reported as unknown) is shown as empty text.
function prepare(node, depth = 0) {
  if (!node || depth > 200) return;
  if (node.type === 'image' && typeof node.url === 'string' && /^\/[^/]/.test(node.url)) {
    node.url = `/build${node.url}`;
  }
  if (!Array.isArray(node.children) && typeof node.value !== 'string') node.value = '';
  (node.children ?? []).forEach((child) => prepare(child, depth + 1));
}

async function page(slug) {
  const config = await json('/config.json');
  const project = config?.projects?.[0];
  if (!project) return undefined;
  const name = slug || project.index;
  const data = await json(`/content/${encodeURIComponent(name)}.json`);
  if (!data) return undefined;
  const pages = [{ slug: project.index, title: project.title }, ...(project.pages ?? [])];
  const nav = pages
    .filter((entry) => entry.slug)
    .map((entry) => `<a href="/${escape(entry.slug)}">${escape(entry.title ?? entry.slug)}</a>`)
    .join('');
  const title = data.frontmatter?.title ?? name;
  prepare(data.mdast);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<link rel="stylesheet" href="/site.css"></head>
<body><nav>${nav}</nav><main><h1>${escape(title)}</h1>
${mystToHtml(data.mdast)}
</main></body></html>
`;
}

const server = http.createServer(async (request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  try {
    if (ASSETS[path]) {
      const [type, body] = ASSETS[path];
      response.writeHead(200, { 'content-type': type }).end(body);
      return;
    }
    if (path.endsWith('.json')) {
      const data = await json(`/content${path}`);
      if (data) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(data));
        return;
      }
    } else {
      const html = await page(decodeURIComponent(path.replace(/^\/+|\/+$/g, '')));
      if (html) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        return;
      }
    }
    response.writeHead(404).end('not found');
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
});

server.listen(port, host, () => {
  // mystmd waits for this line (an http:// address) before it fetches the pages.
  console.log(`support-policy minimal site at http://${host}:${port}`);
});
