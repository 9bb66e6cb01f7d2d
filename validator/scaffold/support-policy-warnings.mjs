// The support-policy plugin's warnings, for mystmd.
//
// mystmd's executable plugins cannot warn, so `support-policy myst` returns each problem
// as a `supportPolicyProblem` node; this transform reports it as a mystmd warning at the
// directive (rule `support-policy`, key: the code's subtype) and removes the node.
// Silence them in myst.yml with `error_rules: [{rule: support-policy, severity: ignore}]`.
const PROBLEM = 'supportPolicyProblem';
const MAX_DEPTH = 200;
// Problems of the policy file come with every directive: report each once per build.
const reported = new Set();

function collect(node, found, depth) {
  if (!node || !Array.isArray(node.children) || depth > MAX_DEPTH) return;
  node.children = node.children.filter((child) => {
    if (child && child.type === PROBLEM) {
      found.push(child);
      return false;
    }
    collect(child, found, depth + 1);
    return true;
  });
}

const warningsTransform = {
  name: 'support-policy-warnings',
  doc: 'Report the support-policy plugin problems as mystmd warnings.',
  stage: 'document',
  plugin: () => (tree, vfile) => {
    const found = [];
    collect(tree, found, 0);
    for (const problem of found) {
      const text = `${String(problem.code)} ${String(problem.message)}`;
      if (problem.once) {
        if (reported.has(text)) continue;
        reported.add(text);
      }
      const message = vfile.message(text, problem.position);
      message.fatal = false;
      message.ruleId = 'support-policy';
      message.key = String(problem.subtype);
    }
  },
};

export default { name: 'support-policy warnings', transforms: [warningsTransform] };
