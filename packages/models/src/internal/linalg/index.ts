export { eighSymmetricTridiagonal, type SymmetricEigenDecomposition } from './eighSymmetricTridiagonal.js'
export { expmDense } from './expmDense.js'
