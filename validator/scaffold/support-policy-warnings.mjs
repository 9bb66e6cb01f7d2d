// The support-policy plugin's companion transforms, for mystmd.
//
// mystmd's executable plugins cannot warn, so `support-policy myst` returns each problem
// as a `supportPolicyProblem` node; the first transform reports it as a mystmd warning at
// the directive (rule `support-policy`, key: the code's subtype) and removes the node.
// Silence them in myst.yml with `error_rules: [{rule: support-policy, severity: ignore}]`.
// It also keeps only the first target of a member or rotation shown on several pages.
// The second, after mystmd resolves references, makes the plugin's references to an
// object the site does not show plain text, as the Sphinx build does, without a warning,
// and a `doc:` link to a page the project lacks text with the warning the link carries.
import { readFileSync, statSync } from 'node:fs';

const PROBLEM = 'supportPolicyProblem';
const MAX_PAGE_BYTES = 10 * 1024 * 1024;
const SHOWN_IN_MANY = 'supportPolicyShownInMany';
const REFERENCE = 'supportPolicyRef';
const IF_UNRESOLVED = 'supportPolicyIfUnresolved';
const MAX_DEPTH = 200;
// Problems of the policy file come with every directive: report each once per build.
const reported = new Set();
// identifier of a target shown on several pages -> the page that keeps it
const firstPage = new Map();

// Calls visit(child, parent) for every node, depth-first; visit returns the nodes that
// replace the child (none: removed).
function rewrite(node, visit, depth) {
  if (!node || !Array.isArray(node.children) || depth > MAX_DEPTH) return;
  node.children = node.children.flatMap((child) => {
    const replaced = visit(child);
    for (const kept of replaced) rewrite(kept, visit, depth + 1);
    return replaced;
  });
}

function keepFirstTarget(node, page, seenHere) {
  delete node[SHOWN_IN_MANY];
  const owner = firstPage.get(node.identifier);
  if (owner === undefined) firstPage.set(node.identifier, page);
  if ((owner === undefined || owner === page) && !seenHere.has(node.identifier)) {
    seenHere.add(node.identifier);
    return;
  }
  delete node.label;
  delete node.identifier;
  delete node.html_id;
}

const warningsTransform = {
  name: 'support-policy-warnings',
  doc: 'Report the support-policy plugin problems as mystmd warnings.',
  stage: 'document',
  plugin: () => (tree, vfile) => {
    const found = [];
    const seenHere = new Set();
    rewrite(
      tree,
      (child) => {
        if (child && child.type === PROBLEM) {
          found.push(child);
          return [];
        }
        if (child && child[SHOWN_IN_MANY]) keepFirstTarget(child, String(vfile.path), seenHere);
        return [child];
      },
      0,
    );
    for (const problem of found) report(problem, vfile);
  },
};

// mystmd places a role in a paragraph at the paragraph's line, with the column counted
// through the whole paragraph: find the role's own line and column in the page's text.
// Used only where the page has `{support:` at that point; otherwise the position stays.
function rolePosition(position, path) {
  const start = position && position.start;
  if (!start || !Number.isInteger(start.line) || !Number.isInteger(start.column)) return position;
  let text;
  try {
    if (statSync(path).size > MAX_PAGE_BYTES) return position;
    text = readFileSync(path, 'utf8');
  } catch {
    return position;
  }
  let lineStart = 0;
  for (let line = 1; line < start.line; line += 1) {
    lineStart = text.indexOf('\n', lineStart) + 1;
    if (lineStart === 0) return position;
  }
  const offset = lineStart + start.column - 1;
  if (!text.startsWith('{support:', offset)) return position;
  const before = text.slice(lineStart, offset).split('\n');
  const line = start.line + before.length - 1;
  const column = before.length > 1 ? before[before.length - 1].length + 1 : start.column;
  return { start: { line, column }, end: { line, column } };
}

function report(problem, vfile) {
  const text = `${String(problem.code)} ${String(problem.message)}`;
  if (problem.once) {
    if (reported.has(text)) return;
    reported.add(text);
  }
  const message = vfile.message(text, rolePosition(problem.position, String(vfile.path)));
  message.fatal = false;
  message.ruleId = 'support-policy';
  message.key = String(problem.subtype);
}

// A link mystmd resolved to a page of the project is marked internal.
function pageLink(child, vfile) {
  const problem = child[IF_UNRESOLVED];
  delete child[IF_UNRESOLVED];
  if (child.type !== 'link' || child.internal) return [child];
  report(problem, vfile);
  return Array.isArray(child.children) ? child.children : [];
}

const unresolvedTransform = {
  name: 'support-policy-unresolved',
  doc: 'Make support-policy references to objects the site does not show plain text.',
  stage: 'project',
  plugin: () => (tree, vfile) => {
    const unresolved = new Set();
    rewrite(
      tree,
      (child) => {
        if (child && child[IF_UNRESOLVED]) return pageLink(child, vfile);
        if (!child || !child[REFERENCE]) return [child];
        delete child[REFERENCE];
        if (child.type !== 'crossReference' || child.resolved) return [child];
        unresolved.add(`Cross reference target was not found: ${child.identifier}`);
        return Array.isArray(child.children) ? child.children : [];
      },
      0,
    );
    // mystmd warned while resolving; these were never meant to link anywhere.
    vfile.messages = vfile.messages.filter(
      (message) =>
        message.ruleId !== 'reference-target-resolves' || !unresolved.has(String(message.reason ?? message.message)),
    );
  },
};

export default {
  name: 'support-policy warnings',
  transforms: [warningsTransform, unresolvedTransform],
};
