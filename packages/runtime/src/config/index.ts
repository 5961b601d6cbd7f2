export type { ExchangeName, LogLevel, RoleKind } from './keys.js'
export {
  type CheckConfigResult,
  checkConfigFiles,
  type DeploymentConfig,
  type LoadConfigFilesErrorType,
  type LoadConfigOptions,
  loadConfigFiles,
  type RoleConfig,
} from './loadConfig.js'
export { type IniDocument, type IniEntry, type IniSection, parseIni } from './parseIni.js'
export { KEYSTORE_PASSWORD_ENV, resolveSecretRef } from './resolveSecretRef.js'
export { Secret } from './Secret.js'
export {
  decryptSecretsKeystore,
  encryptSecretsKeystore,
  listSecretsKeystoreEntries,
  type SecretsKeystoreFile,
  setSecretsKeystoreEntry,
} from './secretsKeystore.js'
export { WalletKeyRef } from './WalletKeyRef.js'
