// Key Vault in RBAC mode for the secrets the app reads through Key Vault references. The secrets
// themselves (token encryption keyring, provider client secrets) are set outside the template.

// Purge protection keeps a deleted vault's name reserved for the whole retention period (90 days):
// after `azd down`, `azd up` fails on that name until the vault is recovered or another name is chosen
// (main.bicep keyVaultName, docs/deploy.md "Tearing down and deploying again").

@description('Name of the Key Vault (3-24 characters)')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region')
param location string

@description('Tags applied to the vault')
param tags object = {}

@description('Log Analytics workspace receiving the vault audit log')
param workspaceId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  // checkov:skip=CKV_AZURE_109:Key Vault references of a Function App without virtual network integration are resolved over the public endpoint; access is RBAC-only
  // checkov:skip=CKV_AZURE_189:public network access stays on so that Key Vault references resolve for an app without virtual network integration; RBAC decides access
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
