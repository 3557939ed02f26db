// Personicle Connect on Azure: `azd up` provisions everything below and deploys the Function App.
// Resources: user-assigned managed identity, Log Analytics + Application Insights, storage account
// (host storage, download queues, deployment container), Event Hubs + Schema Registry group,
// PostgreSQL Flexible Server (Entra auth), Key Vault (RBAC), Flex Consumption Function App; with
// privateNetworking, a virtual network and a private endpoint for PostgreSQL as well.
// No secret is a parameter or an output: secrets go into Key Vault afterwards (docs/deploy.md).

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in resource names and the azd-env-name tag')
param environmentName string

@minLength(1)
@description('Azure region of every resource (one that offers the Flex Consumption plan)')
param location string

@description('Object id of the person or pipeline running azd (AZURE_PRINCIPAL_ID): gets Key Vault Secrets Officer and can run migrations')
param principalId string = ''

@description('Kind of that principal')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('PostgreSQL role name of the principal that runs migrations (user principal name, group or application name); empty to add no migration administrator')
param migrationPrincipalName string = ''

@description('Object id of the principal that runs migrations (default: principalId)')
param migrationPrincipalId string = ''

@description('Kind of the principal that runs migrations (default: principalType)')
param migrationPrincipalType string = ''

@description('Public IPv4 address of the machine that runs migrations; empty for no firewall rule')
param migrationClientIpAddress string = ''

@description('Issuer of Personicle user tokens (PERSONICLE_OIDC_ISSUER)')
param oidcIssuer string

@description('Expected audience of Personicle user tokens (PERSONICLE_OIDC_AUDIENCE)')
param oidcAudience string

@description('JWKS URL of Personicle tokens; empty to use the issuer discovery document')
param oidcJwksUrl string = ''

@description('Origins or URL prefixes the OAuth flow may return to, comma-separated (RETURN_TO_ALLOWLIST)')
param returnToAllowlist string

@description('Public URL of the app when it has a custom domain; empty for https://<app>.azurewebsites.net')
param publicBaseUrl string = ''

@description('Browser origins allowed to call the connections API, comma-separated')
param corsAllowedOrigins string = ''

@description('Google OAuth client id of the Google Health API project (Fitbit); empty leaves Fitbit off')
param fitbitClientId string = ''

@description('Oura OAuth client id; empty leaves Oura off')
param ouraClientId string = ''

@description('Google OAuth client id with Fitness API access; empty leaves Google Fit off')
param googleFitClientId string = ''

@description('WHOOP OAuth client id; empty leaves WHOOP off')
param whoopClientId string = ''
@description('Withings OAuth client id; empty leaves Withings off')
param withingsClientId string = ''

@description('Let the app register missing Avro schemas (grants Schema Registry Contributor instead of Reader)')
param schemaAutoRegister bool = true

@description('Upper bound of Function App instances')
param maximumInstanceCount int = 40

@description('Memory of each Function App instance in MB')
param instanceMemoryMB int = 2048

@description('Name of the Key Vault; empty for kv-<token>. Set a new one to deploy again while a deleted vault of the old name is still kept (purge protection)')
param keyVaultName string = ''

@description('Put the Function App in a virtual network and reach PostgreSQL through a private endpoint only (no public endpoint, no firewall rules)')
param privateNetworking bool = false

@description('E-mail address told when an operations alert fires (empty: alerts show in Azure Monitor only)')
param alertEmail string = ''

@description('Sync lag, in hours, over which the lag alert fires')
param syncLagAlertHours int = 6

@description('PostgreSQL compute SKU')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier')
param postgresSkuTier string = 'Burstable'

var tags = {
  'azd-env-name': environmentName
  application: 'personicle-connect'
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var deploymentContainerName = 'app-package-${token}'
// Origins never contain spaces, so every space is dropped: "a, b" gives "a" and "b".
var corsOrigins = empty(trim(corsAllowedOrigins)) ? [] : split(replace(corsAllowedOrigins, ' ', ''), ',')
var effectiveMigrationPrincipalId = empty(migrationPrincipalId) ? principalId : migrationPrincipalId
var effectiveMigrationPrincipalType = empty(migrationPrincipalType) ? principalType : migrationPrincipalType
var migrationFirewallRules = empty(migrationClientIpAddress) ? [] : [
  {
    name: 'migration-client'
    startIpAddress: migrationClientIpAddress
    endIpAddress: migrationClientIpAddress
  }
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${token}'
    appInsightsName: 'appi-${token}'
    location: location
    tags: tags
  }
}

module operations 'modules/operations.bicep' = {
  name: 'operations'
  scope: rg
  params: {
    appInsightsId: monitoring.outputs.appInsightsId
    location: location
    tags: tags
    namePrefix: 'pc-${token}'
    lagThresholdHours: syncLagAlertHours
    alertEmail: alertEmail
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  scope: rg
  params: {
    name: 'evhns-${token}'
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: empty(keyVaultName) ? 'kv-${token}' : keyVaultName
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${token}'
    location: location
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: 'psql-${token}'
    location: location
    tags: tags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    migrationPrincipalId: effectiveMigrationPrincipalId
    migrationPrincipalName: migrationPrincipalName
    migrationPrincipalType: effectiveMigrationPrincipalType
    firewallRules: migrationFirewallRules
    privateEndpointSubnetId: privateNetworking ? network.outputs.privateEndpointSubnetId : ''
    privateDnsZoneId: privateNetworking ? network.outputs.postgresDnsZoneId : ''
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    appPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    eventHubsNamespaceName: eventHubs.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    schemaAutoRegister: schemaAutoRegister
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: 'func-${token}'
    planName: 'plan-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    corsAllowedOrigins: corsOrigins
    virtualNetworkSubnetId: privateNetworking ? network.outputs.appSubnetId : ''
  }
  // The host needs its storage roles before it first starts.
  dependsOn: [
    roles
  ]
}

module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  scope: rg
  params: {
    siteName: functionApp.outputs.name
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageQueueEndpoint: storage.outputs.queueEndpoint
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    postgresHost: postgres.outputs.host
    postgresDatabase: postgres.outputs.databaseName
    postgresUser: identity.outputs.name
    keyVaultUri: keyVault.outputs.uri
    eventHubsNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventsHubName: eventHubs.outputs.eventsHubName
    datastreamsHubName: eventHubs.outputs.datastreamsHubName
    schemaGroupName: eventHubs.outputs.schemaGroupName
    schemaAutoRegister: schemaAutoRegister
    oidcIssuer: oidcIssuer
    oidcAudience: oidcAudience
    oidcJwksUrl: oidcJwksUrl
    publicBaseUrl: publicBaseUrl
    returnToAllowlist: returnToAllowlist
    fitbitClientId: fitbitClientId
    ouraClientId: ouraClientId
    googleFitClientId: googleFitClientId
    whoopClientId: whoopClientId
    withingsClientId: withingsClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = empty(publicBaseUrl) ? 'https://${functionApp.outputs.defaultHostName}' : publicBaseUrl
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output EVENTHUB_FULLY_QUALIFIED_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace
output POSTGRES_SERVER_NAME string = postgres.outputs.name
output POSTGRES_HOST string = postgres.outputs.host
output POSTGRES_DATABASE string = postgres.outputs.databaseName
output POSTGRES_APP_ROLE string = identity.outputs.name
output POSTGRES_APP_PRINCIPAL_ID string = identity.outputs.principalId
output POSTGRES_MIGRATION_ROLE string = postgres.outputs.migrationRoleName
