// fast-json-patch ships ESM files but no `exports` map, so Node resolves the
// bare name to CommonJS (no named exports) and bundlers pull in the whole
// package. We import its ESM core directly; these declarations give those
// paths the package's own types.
declare module 'fast-json-patch/module/core.mjs' {
  export { applyOperation, validator, type Operation } from 'fast-json-patch'
}
declare module 'fast-json-patch/module/helpers.mjs' {
  export { unescapePathComponent } from 'fast-json-patch'
}
