// User-assigned managed identity the Function App runs as (storage, Event Hubs, Schema Registry,
// Key Vault references, PostgreSQL Entra sign-in, Application Insights ingestion).

@description('Name of the managed identity')
param name string

@description('Azure region')
param location string

@description('Tags applied to the identity')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
