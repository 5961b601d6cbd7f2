export {
  type FeeTierCandidate,
  type FeeTierEstimate,
  type SelectFeeTierParameters,
  selectFeeTier,
} from './selectFeeTier.js'
