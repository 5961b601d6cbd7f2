export { checkKeyFormat } from './checkKeyFormat.js'
export { fetchVenueTime, type VenueTimeReading } from './fetchVenueTime.js'
export { type ChainHead, readChainHead } from './readChainHead.js'
export { type DoctorCheck, type DoctorReport, pidFilePath, type RunDoctorOptions, runDoctor } from './runDoctor.js'
