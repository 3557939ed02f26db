// Private networking (optional, main.bicep privateNetworking=true): a virtual network with a subnet the
// Function App joins for its outbound traffic and a subnet for the PostgreSQL private endpoint, and the
// private DNS zone that resolves the server's name to that endpoint inside the network.

@description('Name of the virtual network')
param name string

@description('Azure region')
param location string

@description('Tags applied to the network resources')
param tags object = {}

@description('Address space of the virtual network')
param addressPrefix string = '10.40.0.0/16'

@description('Subnet delegated to the Flex Consumption app (its outbound traffic)')
param appSubnetPrefix string = '10.40.0.0/24'

@description('Subnet holding the private endpoints')
param privateEndpointSubnetPrefix string = '10.40.1.0/24'

// The default rules of a network security group (traffic inside the network allowed, inbound from the
// internet denied) are what these subnets need; the groups exist so that rules can be added per subnet.
resource appNsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: '${name}-app'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource endpointNsg 'Microsoft.Network/networkSecurityGroups@2024-05-01' = {
  name: '${name}-endpoints'
  location: location
  tags: tags
  properties: {
    securityRules: []
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          networkSecurityGroup: {
            id: appNsg.id
          }
          // Flex Consumption joins a subnet delegated to Microsoft.App/environments.
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          networkSecurityGroup: {
            id: endpointNsg.id
          }
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDnsZone
  name: '${name}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

output id string = vnet.id
output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'app')
output privateEndpointSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'private-endpoints')
output postgresDnsZoneId string = postgresDnsZone.id
