/**
 * The syntax the cloudfront-js-2.0 runtime documents ("JavaScript runtime 2.0 features for
 * CloudFront Functions", Core features): ES 5.1, plus `const` and `let`, arrow functions,
 * template literals (multiline, interpolation, nesting), rest parameters, the `**` operator,
 * `async` and `await` (await only inside async functions; "async arguments and closures are
 * not supported", so only async function declarations here), and the one `import cf from
 * 'cloudfront'` of the KeyValueStore helpers. Everything else (classes, destructuring, spread,
 * for-of, default parameters, shorthand or computed properties, generators, optional chaining,
 * `??`, tagged templates, `u`/`s` regexp flags) is refused.
 */
import { type Node, parse } from 'acorn';

type AnyNode = Node & Record<string, unknown>;

const ES5_NODES = new Set([
  ...['Program', 'Identifier', 'Literal', 'ExpressionStatement', 'BlockStatement', 'EmptyStatement'],
  ...['ReturnStatement', 'LabeledStatement', 'BreakStatement', 'ContinueStatement', 'IfStatement'],
  ...['SwitchStatement', 'SwitchCase', 'ThrowStatement', 'TryStatement', 'CatchClause', 'WhileStatement'],
  ...['DoWhileStatement', 'ForStatement', 'ForInStatement', 'FunctionDeclaration', 'VariableDeclaration'],
  ...['VariableDeclarator', 'ThisExpression', 'ArrayExpression', 'ObjectExpression', 'Property'],
  ...['FunctionExpression', 'UnaryExpression', 'UpdateExpression', 'BinaryExpression', 'AssignmentExpression'],
  ...['LogicalExpression', 'MemberExpression', 'ConditionalExpression', 'CallExpression', 'NewExpression'],
  'SequenceExpression',
]);
const LISTED_LATER_NODES = new Set([
  'ArrowFunctionExpression',
  'TemplateLiteral',
  'TemplateElement',
  'AwaitExpression',
]);
const ES5_ASSIGNMENTS = ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '>>>=', '|=', '^=', '&='];

/**
 * Every construct in `code` outside the documented syntax, as `Type at offset` strings (empty
 * when the code is acceptable).
 *
 * @throws SyntaxError (from acorn) when the code is not even ES2017 module syntax.
 */
export function unsupportedSyntax(code: string): string[] {
  const program = parse(code, { ecmaVersion: 2017, sourceType: 'module' }) as unknown as AnyNode;
  const problems: string[] = [];
  const refuse = (node: AnyNode, what: string) => problems.push(`${what} at ${node.start}`);

  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    const type = node.type;
    if (type === 'ImportDeclaration') {
      const source = (node.source as AnyNode).value;
      const specifiers = node.specifiers as AnyNode[];
      const onlyCf =
        parent?.type === 'Program' &&
        source === 'cloudfront' &&
        specifiers.length === 1 &&
        specifiers[0]?.type === 'ImportDefaultSpecifier' &&
        (specifiers[0].local as AnyNode).name === 'cf';
      if (!onlyCf) refuse(node, "an import other than `import cf from 'cloudfront'`");
      return;
    }
    if (type === 'RestElement') {
      const inParams = parent !== undefined && (parent.params as AnyNode[] | undefined)?.includes(node);
      if (!inParams || (node.argument as AnyNode).type !== 'Identifier')
        refuse(node, 'a rest element outside parameters');
    } else if (!ES5_NODES.has(type) && !LISTED_LATER_NODES.has(type)) {
      refuse(node, type);
    }

    if (node.generator === true) refuse(node, 'a generator');
    if (node.async === true && !(type === 'FunctionDeclaration' && parent?.type === 'Program')) {
      refuse(node, 'an async function other than a top-level declaration');
    }
    if (type === 'Property' && (node.shorthand || node.method || node.computed)) refuse(node, 'an ES6 property form');
    if (type === 'AssignmentExpression' && !ES5_ASSIGNMENTS.includes(node.operator as string)) {
      refuse(node, `the assignment ${node.operator as string}`);
    }
    if (type === 'LogicalExpression' && node.operator !== '&&' && node.operator !== '||') refuse(node, '??');
    if (type === 'Literal' && node.regex && !/^[gim]*$/.test((node.regex as { flags: string }).flags)) {
      refuse(node, 'a regular expression flag beyond g, i, m');
    }
    if (type === 'TemplateLiteral' && parent?.type === 'TaggedTemplateExpression') refuse(node, 'a tagged template');
    const params = node.params as AnyNode[] | undefined;
    if (params?.some((param) => param.type !== 'Identifier' && param.type !== 'RestElement')) {
      refuse(node, 'a default or destructured parameter');
    }

    for (const value of Object.values(node)) {
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string') {
          visit(child as AnyNode, node);
        }
      }
    }
  };
  visit(program, undefined);
  return problems;
}

/**
 * Parses `code` as an ES 5.1 script.
 *
 * @throws SyntaxError naming the first construct ES 5.1 does not have.
 */
export function parseEs5(code: string): void {
  parse(code, { ecmaVersion: 5, sourceType: 'script' });
}
