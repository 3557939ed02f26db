// App settings of the Function App. Every setting the app reads is declared in shared/config.py;
// tests/infra/test_app_settings.py compares the names set here with those declarations.
// Connections use the managed identity; secrets are Key Vault references, never values.

@description('Name of the Function App')
param siteName string

@description('Client id of the app managed identity')
param identityClientId string

@description('Storage account used by the Functions host and the download queues')
param storageAccountName string

@description('Queue endpoint of that account')
param storageQueueEndpoint string

@description('Application Insights connection string (ingestion endpoint; Entra sign-in is required)')
param appInsightsConnectionString string

@description('Host name of the PostgreSQL server')
param postgresHost string

@description('Name of the application database')
param postgresDatabase string

@description('PostgreSQL role of the app: the managed identity name (an ordinary Entra principal)')
param postgresUser string

// verify-full checks the server certificate against the Azure roots and its name against the host;
// the app finds the roots itself (shared/pg_tls.py), so the DSN names no file.
@description('libpq sslmode of app connections')
@allowed([
  'verify-full'
  'verify-ca'
])
param postgresSslMode string = 'verify-full'

@description('Key Vault URI (ends with a slash)')
param keyVaultUri string

@description('Event Hubs namespace host name')
param eventHubsNamespace string

@description('Hub receiving event records')
param eventsHubName string

@description('Hub receiving datastream packets')
param datastreamsHubName string

@description('Schema Registry group')
param schemaGroupName string

@description('Register missing Avro schemas automatically')
param schemaAutoRegister bool

@description('Issuer of Personicle user tokens')
param oidcIssuer string

@description('Audience of Personicle user tokens')
param oidcAudience string

@description('JWKS URL of Personicle tokens; empty to use OpenID discovery')
param oidcJwksUrl string = ''

@description('Public URL of the app; empty for https://<default host name>')
param publicBaseUrl string = ''

@description('Origins or URL prefixes the OAuth flow may return to (comma-separated)')
param returnToAllowlist string

@description('Google OAuth client id of the Google Health API project; empty leaves Fitbit off')
param fitbitClientId string = ''

@description('WHOOP OAuth client id; empty leaves WHOOP off')
param whoopClientId string = ''

@description('Oura OAuth client id; empty leaves Oura off')
param ouraClientId string = ''

@description('Google OAuth client id with Fitness API access; empty leaves Google Fit off')
param googleFitClientId string = ''

@description('Withings OAuth client id; empty leaves Withings off')
param withingsClientId string = ''

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

var baseSettings = {
  // Functions host storage, identity-based. AzureWebJobsStorage itself (a connection string) stays
  // unset: shared keys are disabled, and the host would prefer it over these settings.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // DefaultAzureCredential picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  POSTGRES_DSN: 'host=${postgresHost} port=5432 dbname=${postgresDatabase} user=${postgresUser} sslmode=${postgresSslMode}'
  POSTGRES_AUTH: 'entra'
  TOKEN_ENCRYPTION_KEYS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/token-encryption-keys)'
  PERSONICLE_OIDC_ISSUER: oidcIssuer
  PERSONICLE_OIDC_AUDIENCE: oidcAudience
  PUBLIC_BASE_URL: empty(publicBaseUrl) ? 'https://${site.properties.defaultHostName}' : publicBaseUrl
  RETURN_TO_ALLOWLIST: returnToAllowlist
  SINK_KIND: 'eventhub'
  EVENTHUB_FULLY_QUALIFIED_NAMESPACE: eventHubsNamespace
  EVENTS_EVENTHUB_NAME: eventsHubName
  DATASTREAMS_EVENTHUB_NAME: datastreamsHubName
  EVENTHUB_ENCODING: 'json'
  SCHEMA_REGISTRY_FULLY_QUALIFIED_NAMESPACE: eventHubsNamespace
  SCHEMA_REGISTRY_GROUP: schemaGroupName
  SCHEMA_AUTO_REGISTER: schemaAutoRegister ? 'true' : 'false'
  // Timer triggers read their schedules as %NAME% binding expressions, which the Functions host
  // resolves from app settings only: the defaults of shared/config.py do not reach it.
  REFRESH_TOKENS_SCHEDULE: '0 */15 * * * *'
  SCHEDULE_SYNC_SCHEDULE: '0 0 * * * *'
  EXPIRE_PENDING_LINKS_SCHEDULE: '0 */5 * * * *'
  RETENTION_PURGE_SCHEDULE: '0 30 3 * * *'
  WEBHOOK_SUBSCRIPTIONS_SCHEDULE: '0 30 3 * * *'
}

var jwksSettings = empty(oidcJwksUrl) ? {} : {
  PERSONICLE_OIDC_JWKS_URL: oidcJwksUrl
}

// A provider is configured only when its client id is given; its secret must then be in the vault.
var fitbitSettings = empty(fitbitClientId) ? {} : {
  FITBIT_CLIENT_ID: fitbitClientId
  FITBIT_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/fitbit-client-secret)'
}

var ouraSettings = empty(ouraClientId) ? {} : {
  OURA_CLIENT_ID: ouraClientId
  OURA_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/oura-client-secret)'
}

var googleFitSettings = empty(googleFitClientId) ? {} : {
  GOOGLE_FIT_CLIENT_ID: googleFitClientId
  GOOGLE_FIT_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/google-fit-client-secret)'
}

var whoopSettings = empty(whoopClientId) ? {} : {
  WHOOP_CLIENT_ID: whoopClientId
  WHOOP_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/whoop-client-secret)'
}
var withingsSettings = empty(withingsClientId) ? {} : {
  WITHINGS_CLIENT_ID: withingsClientId
  WITHINGS_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/withings-client-secret)'
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  // checkov:skip=CKV_AZURE_13:the app verifies Personicle bearer JWTs itself (shared/auth.py); App Service Authentication is not used on Flex Consumption
  // checkov:skip=CKV_AZURE_222:this resource holds app settings only; public access is decided on the site (see functionapp.bicep)
  // checkov:skip=CKV_AZURE_63:App Service web-server HTTP logs do not exist for Linux Function Apps; Application Insights records requests
  // checkov:skip=CKV_AZURE_65:detailed error pages are an App Service web-server feature absent from Linux Function Apps
  // checkov:skip=CKV_AZURE_66:failed request tracing is an App Service web-server feature absent from Linux Function Apps
  // checkov:skip=CKV_AZURE_80:the app runs Python, not .NET
  // checkov:skip=CKV_AZURE_88:Flex Consumption runs from a blob deployment package and has no Azure Files content share
  parent: site
  name: 'appsettings'
  properties: union(baseSettings, jwksSettings, fitbitSettings, ouraSettings, googleFitSettings, whoopSettings, withingsSettings)
}
