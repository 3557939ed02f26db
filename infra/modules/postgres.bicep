// PostgreSQL Flexible Server with Microsoft Entra authentication only (no password sign-in), TLS
// 1.2+ required, and the `personicle` database. Entra administrators: the app's managed identity and,
// optionally, the principal that runs the migrations (a user, a group or a service principal).

@description('Name of the server')
param name string

@description('Azure region')
param location string

@description('Tags applied to the server')
param tags object = {}

@description('PostgreSQL major version')
@allowed([
  '15'
  '16'
  '17'
])
param version string = '16'

@description('Compute SKU name')
param skuName string = 'Standard_B1ms'

@description('Compute tier of the SKU')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'Burstable'

@description('Storage size in GiB')
param storageSizeGB int = 32

@description('Name of the application database')
param databaseName string = 'personicle'

@description('Managed identity of the app: its name becomes its PostgreSQL role')
param appIdentityName string

@description('Object (principal) id of the app managed identity')
param appIdentityPrincipalId string

@description('Object id of the principal that runs migrations; empty to add none')
param migrationPrincipalId string = ''

@description('PostgreSQL role name of that principal: user principal name, group name or application name')
param migrationPrincipalName string = ''

@description('Kind of principal that runs migrations')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param migrationPrincipalType string = 'User'

@description('Allow connections from Azure services (the Function App has no virtual network here)')
param allowAzureServices bool = true

@description('Extra firewall rules for machines that run migrations: [{ name, startIpAddress, endIpAddress }]')
param firewallRules array = []

var addMigrationAdmin = !empty(migrationPrincipalId) && !empty(migrationPrincipalName)
var azureServicesRule = allowAzureServices ? [
  {
    // 0.0.0.0 - 0.0.0.0 is Azure's marker for "connections from Azure services".
    name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
] : []

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// The server accepts one control-plane operation at a time: each child waits for the previous one.
resource requireTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

resource minimumTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'ssl_min_protocol_version'
  properties: {
    value: 'TLSv1.2'
    source: 'user-override'
  }
  dependsOn: [
    requireTls
  ]
}

resource appAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: appIdentityPrincipalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: appIdentityName
    tenantId: subscription().tenantId
  }
  dependsOn: [
    minimumTls
  ]
}

resource migrationAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = if (addMigrationAdmin) {
  parent: server
  name: addMigrationAdmin ? migrationPrincipalId : 'unused'
  properties: {
    principalType: migrationPrincipalType
    principalName: migrationPrincipalName
    tenantId: subscription().tenantId
  }
  dependsOn: [
    appAdmin
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    migrationAdmin
  ]
}

@batchSize(1)
resource rules 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [for rule in concat(azureServicesRule, firewallRules): {
  parent: server
  name: rule.name
  properties: {
    startIpAddress: rule.startIpAddress
    endIpAddress: rule.endIpAddress
  }
  dependsOn: [
    database
  ]
}]

output id string = server.id
output name string = server.name
output host string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output appRoleName string = appIdentityName
output migrationRoleName string = addMigrationAdmin ? migrationPrincipalName : ''
