// @alp/internal-errors: private, bundled into each published package's build (tsup `noExternal`).
export { AlpError, type AlpErrorParameters, errorBrand } from './AlpError.js'
