// Storage account of the Function App: host storage (AzureWebJobsStorage, identity-based), the
// download queues with their poison queues, and the Flex Consumption deployment container.
// Shared key access is disabled: every client signs in with Microsoft Entra ID.

@description('Name of the storage account (3-24 lower-case letters and digits)')
param name string

@description('Azure region')
param location string

@description('Tags applied to the account')
param tags object = {}

@description('Blob container that holds the Flex Consumption deployment package')
param deploymentContainerName string

@description('Download queues (one per provider); a <name>-poison queue is created for each')
param queueNames array = [
  'download-fitbit'
  'download-oura'
  'download-google-fit'
  'download-whoop'
  'download-withings'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_35:the Function App has no virtual network integration here, so its host reaches storage over the public endpoint; shared keys are disabled and every request needs an Entra token
  // checkov:skip=CKV_AZURE_59:public network access stays on for the Function App, which has no virtual network here; only Entra-authenticated requests succeed
  // checkov:skip=CKV_AZURE_206:queue messages and deployment packages are transient; zone-redundant storage (ZRS) is used instead of geo-replication
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queueNames: {
  parent: queueService
  name: queue
}]

// The Functions host moves a message here after its last failed attempt (host.json maxDequeueCount).
resource poisonQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queueNames: {
  parent: queueService
  name: '${queue}-poison'
}]

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output queueServiceName string = queueService.name
