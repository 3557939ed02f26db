// Function App on the Flex Consumption plan (Linux, Python 3.12), running as the user-assigned
// managed identity. The deployment package lives in a blob container read with that identity.
// App settings are applied by appsettings.bicep.

@description('Name of the Function App (its host name is <name>.azurewebsites.net)')
param name string

@description('Name of the Flex Consumption plan')
param planName string

@description('Azure region')
param location string

@description('Tags applied to the plan and the app (the app also gets azd-service-name)')
param tags object = {}

@description('Service name in azure.yaml that azd deploys to this app')
param azdServiceName string = 'api'

@description('Resource id of the user-assigned managed identity')
param identityId string

@description('Blob endpoint of the storage account holding the deployment container')
param storageBlobEndpoint string

@description('Blob container for the deployment package')
param deploymentContainerName string

@description('Python version of the Functions runtime')
param pythonVersion string = '3.12'

@description('Upper bound of instances the plan scales out to')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance in MB')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Browser origins allowed to call the connections API (the Personicle frontend)')
param corsAllowedOrigins array = []

@description('Resource id of the subnet the app joins (private networking); empty for none')
param virtualNetworkSubnetId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225:Flex Consumption zone redundancy exists only in some regions; turn it on per region where offered
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_222:the OAuth callbacks and the connections API are called from browsers, so the app is public
  // checkov:skip=CKV_AZURE_17:callers are browsers and the Personicle frontend with bearer JWTs; client certificates do not apply
  // checkov:skip=CKV_AZURE_212:Flex Consumption scales instances on demand; there is no fixed instance minimum to set
  // checkov:skip=CKV_AZURE_213:health-check eviction is meant for standing instances; this app scales to zero, and /api/health serves external probes
  // checkov:skip=CKV_AZURE_78:Flex Consumption rejects siteConfig.ftpsState (a deprecated site property there) and has no FTP endpoint; code arrives through the blob deployment container with Entra ID
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': azdServiceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    // Key Vault references resolve with the user-assigned identity (Key Vault Secrets User).
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    // No siteConfig.ftpsState: Flex Consumption refuses it ("... for Flex Consumption sites is invalid").
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'python'
        version: pythonVersion
      }
    }
  }
}

// Deployments sign in with Microsoft Entra ID (azd, Core Tools, az CLI); basic publishing credentials are off.
// `location` is missing from the Bicep type of this resource but ARM requires it ("The parameter location
// has an invalid value" without it); the Azure Verified Modules set it too. Flex Consumption has no FTP
// endpoint, so there is no 'ftp' policy to set.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  #disable-next-line BCP037
  location: location
  properties: {
    allow: false
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
