// The CommonJS entry of dist/bundle/vendor.cjs (scripts/bundle.mjs, scripts/vendor-loader.mjs): the packages a
// command such as settle loads before it reads a file, as the shims in scripts/bundle.mjs hand them to dist/.
module.exports = {
  z: require('zod').z,
  YAML: require('yaml'),
  Papa: require('papaparse'),
};
