// schema.mjs - checks a value against a JSON Schema of the OpenAPI document (the subset the
// document uses: $ref, type, enum, properties, required, additionalProperties, items, oneOf,
// allOf, minimum, maximum, minLength, maxLength, pattern, minProperties). No npm dependency.
//
// check(doc, schema, value) returns a list of problems, [] when the value conforms.
export function check(doc, schema, value, at = '#') {
  const out = [];
  walk(doc, schema, value, at, out);
  return out;
}

function resolve(doc, schema) {
  while (schema && schema.$ref) {
    const parts = schema.$ref.replace(/^#\//, '').split('/');
    schema = parts.reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return schema;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

function walk(doc, schema, v, at, out) {
  schema = resolve(doc, schema);
  if (!schema || typeof schema !== 'object') return;
  if (schema.allOf) for (const s of schema.allOf) walk(doc, s, v, at, out);
  if (schema.oneOf) {
    const fits = schema.oneOf.filter((s) => check(doc, s, v, at).length === 0).length;
    if (fits !== 1) out.push(`${at}: matches ${fits} of oneOf, not exactly one`);
  }
  if (schema.type) {
    const want = [].concat(schema.type);
    const got = typeOf(v);
    if (!want.includes(got) && !(got === 'integer' && want.includes('number'))) {
      out.push(`${at}: ${got}, expected ${want.join('|')}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} not in ${schema.enum.join(' ')}`);
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) out.push(`${at}: ${v} < ${schema.minimum}`);
    if (schema.maximum !== undefined && v > schema.maximum) out.push(`${at}: ${v} > ${schema.maximum}`);
  }
  if (typeof v === 'string') {
    const bytes = Buffer.byteLength(v);
    if (schema.maxLength !== undefined && bytes > schema.maxLength) out.push(`${at}: ${bytes} bytes > ${schema.maxLength}`);
    if (schema.minLength !== undefined && bytes < schema.minLength) out.push(`${at}: ${bytes} bytes < ${schema.minLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(v)) out.push(`${at}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => walk(doc, schema.items, x, `${at}/${i}`, out));
  if (typeOf(v) === 'object') {
    const props = schema.properties || {};
    for (const k of schema.required || []) if (!(k in v)) out.push(`${at}: missing ${k}`);
    if (schema.minProperties !== undefined && Object.keys(v).length < schema.minProperties) out.push(`${at}: too few properties`);
    for (const [k, x] of Object.entries(v)) {
      if (k in props) walk(doc, props[k], x, `${at}/${k}`, out);
      else if (schema.additionalProperties === false) out.push(`${at}: unexpected ${k}`);
      else if (typeof schema.additionalProperties === 'object') walk(doc, schema.additionalProperties, x, `${at}/${k}`, out);
    }
  }
}

// The documented response of METHOD PATH for STATUS (the Response Object, $refs resolved), or
// undefined when the document does not list that status.
export function documented(doc, path, method, status) {
  const op = doc.paths[path]?.[method.toLowerCase()];
  return op && resolve(doc, op.responses[String(status)]);
}

export { resolve };
