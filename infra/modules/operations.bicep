// What operators watch: a workbook of the app's OpenTelemetry metrics and three alert rules
// (poison messages present, token refresh failures, sync lag over a threshold). The metrics are the
// ones shared/telemetry/signals.py records; in Application Insights they land in `customMetrics`.

@description('Resource id of the Application Insights component the app exports to')
param appInsightsId string

@description('Azure region')
param location string

@description('Tags applied to every resource')
param tags object = {}

@description('Name prefix of the workbook and the alert rules')
param namePrefix string

@description('Alert when a provider\'s oldest stream cursor of an active connection is older than this (hours)')
param lagThresholdHours int = 6

@description('Alert when more than this share of token refreshes failed in an hour (percent)')
param refreshFailurePercent int = 20

@description('E-mail address told when an alert fires (empty: alerts only show in Azure Monitor)')
param alertEmail string = ''

var recordsQuery = 'customMetrics | where name == "personicle.records.sent" | extend provider = tostring(customDimensions.provider), kind = tostring(customDimensions.kind) | summarize records = sum(valueSum) by bin(timestamp, 1h), provider, kind | render timechart'
var callsQuery = 'customMetrics | where name == "personicle.provider.calls" | extend provider = tostring(customDimensions.provider), status = tostring(customDimensions.status_class) | summarize calls = sum(valueSum) by bin(timestamp, 1h), provider, status | render timechart'
var lagQuery = 'customMetrics | where name == "personicle.sync.lag" | extend provider = tostring(customDimensions.provider) | summarize lag_hours = max(valueMax) / 3600.0 by bin(timestamp, 1h), provider | render timechart'
var refreshQuery = 'customMetrics | where name == "personicle.token.refreshes" | extend provider = tostring(customDimensions.provider), outcome = tostring(customDimensions.outcome) | summarize refreshes = sum(valueSum) by bin(timestamp, 1h), provider, outcome | render timechart'
var limitsQuery = 'customMetrics | where name in ("personicle.rate_limit.continuations", "personicle.webhook.notifications") | extend provider = tostring(customDimensions.provider) | summarize count_ = sum(valueSum) by bin(timestamp, 1h), name, provider | render timechart'
var poisonQuery = 'customMetrics | where name == "personicle.queue.poison.depth" | extend queue = tostring(customDimensions.queue) | summarize messages = max(valueMax) by bin(timestamp, 1h), queue | render timechart'

var workbookItems = [
  { type: 1, content: { json: '## Personicle Connect: is data flowing?' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Records sent per hour', query: recordsQuery, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Provider calls by status class', query: callsQuery, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Sync lag (hours, oldest cursor of active connections)', query: lagQuery, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Token refreshes by outcome', query: refreshQuery, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Rate-limit continuations and webhook notifications', query: limitsQuery, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
  { type: 3, content: { version: 'KqlItem/1.0', title: 'Poison queue depth', query: poisonQuery, queryType: 0, resourceType: 'microsoft.insights/components', visualization: 'timechart' } }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID.
  name: guid(appInsightsId, 'personicle-connect-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: '${namePrefix} operations'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string({ version: 'Notebook/1.0', items: workbookItems, isLocked: false })
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-oncall'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'pc-oncall'
    enabled: true
    emailReceivers: [
      { name: 'oncall', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var actions = empty(alertEmail) ? [] : [ actionGroup.id ]

resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${namePrefix}-poison-messages'
  location: location
  tags: tags
  properties: {
    displayName: 'Personicle Connect: poison messages present'
    description: 'A download job failed five times and moved to a poison queue: look at the queue and the logs.'
    severity: 2
    enabled: true
    scopes: [ appInsightsId ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "personicle.queue.poison.depth" | extend queue = tostring(customDimensions.queue) | summarize messages = max(valueMax) by queue | where messages > 0'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: actions }
  }
}

resource refreshAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${namePrefix}-token-refresh-failures'
  location: location
  tags: tags
  properties: {
    displayName: 'Personicle Connect: token refreshes failing'
    description: 'More than ${refreshFailurePercent}% of token refreshes failed in the last hour (at least 5 refreshes).'
    severity: 2
    enabled: true
    scopes: [ appInsightsId ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "personicle.token.refreshes" | extend provider = tostring(customDimensions.provider), outcome = tostring(customDimensions.outcome) | summarize total = sum(valueSum), failed = sumif(valueSum, outcome == "failed") by provider | where total >= 5 and failed * 100.0 / total > ${refreshFailurePercent}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: actions }
  }
}

resource lagAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${namePrefix}-sync-lag'
  location: location
  tags: tags
  properties: {
    displayName: 'Personicle Connect: sync lag over ${lagThresholdHours} hours'
    description: 'An active connection\'s oldest stream cursor is older than the threshold: syncs are not keeping up.'
    severity: 3
    enabled: true
    scopes: [ appInsightsId ]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT2H'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "personicle.sync.lag" | extend provider = tostring(customDimensions.provider) | summarize lag = max(valueMax) by provider | where lag > ${lagThresholdHours * 3600}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: actions }
  }
}

output workbookId string = workbook.id
