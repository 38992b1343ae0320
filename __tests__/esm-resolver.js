// Jest resolves with the "require" condition; the kubernetes-models packages export only "import".
// Resolve those (and only those) with "import", and let @swc/jest turn them into CommonJS.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/|is-cidr|cidr-regex|ip-regex)/;

module.exports = (request, options) =>
  options.defaultResolver(request, ESM_ONLY.test(request) ? { ...options, conditions: ['import', 'default'] } : options);
