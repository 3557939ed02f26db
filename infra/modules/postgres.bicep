// PostgreSQL Flexible Server with Microsoft Entra authentication only (no password sign-in), TLS
// 1.2+ required, and the `personicle` database. The one Entra administrator is the principal that runs
// the migrations (a user, a group or a service principal). The app's managed identity is not an
// administrator: the migration hook creates its role as an ordinary Entra principal
// (pgaadauth_create_principal_with_oid) and grants it DML only (infra/hooks/grant_app_role.py).
//
// Network: by default the server has a public endpoint whose firewall admits Azure services (the
// Function App has no fixed outbound address without a virtual network) and the migration machine's
// address; sign-in needs an Entra token and TLS. With a private endpoint subnet the public endpoint is
// off and the server is reached through the private endpoint only.

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

@description('Allow connections from Azure services on the public endpoint (needed while the Function App has no virtual network)')
param allowAzureServices bool = true

@description('Extra firewall rules for machines that run migrations: [{ name, startIpAddress, endIpAddress }]')
param firewallRules array = []

@description('Subnet for a private endpoint of the server; empty keeps the public endpoint')
param privateEndpointSubnetId string = ''

@description('Private DNS zone privatelink.postgres.database.azure.com (with a private endpoint)')
param privateDnsZoneId string = ''

var addMigrationAdmin = !empty(migrationPrincipalId) && !empty(migrationPrincipalName)
var isPrivate = !empty(privateEndpointSubnetId)
var azureServicesRule = allowAzureServices && !isPrivate ? [
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
      publicNetworkAccess: isPrivate ? 'Disabled' : 'Enabled'
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

resource migrationAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = if (addMigrationAdmin) {
  parent: server
  name: addMigrationAdmin ? migrationPrincipalId : 'unused'
  properties: {
    principalType: migrationPrincipalType
    principalName: migrationPrincipalName
    tenantId: subscription().tenantId
  }
  dependsOn: [
    minimumTls
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
resource rules 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [for rule in (isPrivate ? [] : concat(azureServicesRule, firewallRules)): {
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

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = if (isPrivate) {
  name: '${name}-pe'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: '${name}-pe'
        properties: {
          privateLinkServiceId: server.id
          groupIds: [
            'postgresqlServer'
          ]
        }
      }
    ]
  }
  dependsOn: [
    database
  ]
}

resource privateDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = if (isPrivate) {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'postgres'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

output id string = server.id
output name string = server.name
output host string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output migrationRoleName string = addMigrationAdmin ? migrationPrincipalName : ''
