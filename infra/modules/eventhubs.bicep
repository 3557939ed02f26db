// Event Hubs namespace with the two hubs Personicle reads and the Avro Schema Registry group.
// Local (SAS) authentication is disabled: senders sign in with Microsoft Entra ID.

@description('Name of the Event Hubs namespace')
param name string

@description('Azure region')
param location string

@description('Tags applied to the namespace')
param tags object = {}

@description('Hub receiving event records')
param eventsHubName string = 'events'

@description('Hub receiving datastream packets')
param datastreamsHubName string = 'datastreams'

@description('Schema Registry group holding the Avro schemas')
param schemaGroupName string = 'personicle'

@description('Partitions per hub')
param partitionCount int = 4

@description('Days a message is kept (Standard tier: at most 7)')
@minValue(1)
@maxValue(7)
param messageRetentionInDays int = 7

@description('Throughput units (Standard tier)')
param capacity int = 1

resource eventHubsNamespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    // Schema Registry needs the Standard tier or above.
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource hubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = [for hub in [eventsHubName, datastreamsHubName]: {
  parent: eventHubsNamespace
  name: hub
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: messageRetentionInDays
  }
}]

resource schemaGroup 'Microsoft.EventHub/namespaces/schemagroups@2024-01-01' = {
  parent: eventHubsNamespace
  name: schemaGroupName
  properties: {
    schemaType: 'Avro'
    schemaCompatibility: 'Backward'
  }
}

output id string = eventHubsNamespace.id
output name string = eventHubsNamespace.name
// Host name only (`<name>.servicebus.windows.net`), as EventHubProducerClient and the Schema Registry client take it.
output fullyQualifiedNamespace string = replace(replace(eventHubsNamespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
output eventsHubName string = eventsHubName
output datastreamsHubName string = datastreamsHubName
output schemaGroupName string = schemaGroup.name
