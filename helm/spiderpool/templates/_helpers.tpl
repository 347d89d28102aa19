{{/* SPDX-License-Identifier: Apache-2.0 */}}

{{/* Labels every object of this chart carries. */}}
{{- define "spiderpool.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: spiderpool
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component (agent, controller, init). */}}
{{- define "spiderpool.selector" -}}
app.kubernetes.io/name: spiderpool
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "spiderpool.annotations" -}}
{{- with .Values.global.commonAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* image reference: registry/repository:tag or @digest; tag defaults to the chart's appVersion */}}
{{- define "spiderpool.image" -}}
{{- $registry := .root.Values.global.imageRegistryOverride | default .image.registry -}}
{{- $ref := .image.repository -}}
{{- if $registry }}{{ $ref = printf "%s/%s" $registry .image.repository }}{{ end -}}
{{- if .image.digest -}}
{{ printf "%s@%s" $ref .image.digest }}
{{- else -}}
{{ printf "%s:%s" $ref (.image.tag | default .root.Chart.AppVersion) }}
{{- end -}}
{{- end }}

{{/* true when the controller role and the webhooks run in the daemons */}}
{{- define "spiderpool.roleInDaemon" -}}
{{- if not .Values.spiderpoolController.standalone.enabled }}true{{ end -}}
{{- end }}

{{/* the Service the API server calls for the webhooks */}}
{{- define "spiderpool.webhookService" -}}
{{- if .Values.spiderpoolController.standalone.enabled -}}
{{ .Values.spiderpoolController.name }}
{{- else -}}
{{ .Values.spiderpoolAgent.name }}
{{- end -}}
{{- end }}

{{/* the DNS names of the webhook Service, which its serving certificate must hold */}}
{{- define "spiderpool.webhookDnsNames" -}}
{{- $svc := include "spiderpool.webhookService" . -}}
- {{ $svc }}
- {{ printf "%s.%s" $svc .Release.Namespace }}
- {{ printf "%s.%s.svc" $svc .Release.Namespace }}
- {{ printf "%s.%s.svc.%s" $svc .Release.Namespace .Values.global.clusterDnsDomain }}
{{- end }}

{{/* where the probes call the daemon: the value, else 127.0.0.1, or ::1 without IPv4 */}}
{{- define "spiderpool.healthHost" -}}
{{- if .address -}}
{{ .address }}
{{- else if .root.Values.ipam.enableIPv4 -}}
127.0.0.1
{{- else -}}
::1
{{- end -}}
{{- end }}

{{/* env common to the daemon and the controller */}}
{{- define "spiderpool.podEnv" -}}
- name: SPIDERPOOL_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: SPIDERPOOL_POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: SPIDERPOOL_POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- if .Values.global.k8sServiceHost }}
- name: KUBERNETES_SERVICE_HOST
  value: {{ .Values.global.k8sServiceHost | quote }}
- name: KUBERNETES_SERVICE_PORT
  value: {{ .Values.global.k8sServicePort | default "443" | quote }}
{{- end }}
{{- end }}

{{/* env of whichever process holds the controller role: election and IP GC */}}
{{- define "spiderpool.roleEnv" -}}
{{- $le := .Values.spiderpoolController.leaderElection -}}
{{- $gc := .Values.ipam.gc -}}
- name: SPIDERPOOL_LEADER_LEASE_NAME
  value: {{ $le.leaseName | quote }}
- name: SPIDERPOOL_LEADER_DURATION
  value: {{ $le.leaseDuration | quote }}
- name: SPIDERPOOL_LEADER_RENEW_DEADLINE
  value: {{ $le.renewDeadline | quote }}
- name: SPIDERPOOL_LEADER_RETRY_PERIOD
  value: {{ $le.retryPeriod | quote }}
- name: SPIDERPOOL_GC_IP_ENABLED
  value: {{ $gc.enabled | quote }}
- name: SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION
  value: {{ $gc.gcAll.intervalInSecond | quote }}
- name: SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED
  value: {{ $gc.statelessPod.zombieOnReadyNode | quote }}
- name: SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED
  value: {{ $gc.statelessPod.zombieOnNotReadyNode | quote }}
- name: SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS
  value: {{ $gc.statelessPod.enableGcRunningPodOnEmptyPodStatusIPs | quote }}
- name: SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY
  value: {{ $gc.gcDeletingTimeOutPodDelay | quote }}
{{- end }}

{{/* env of whichever process serves the admission webhooks */}}
{{- define "spiderpool.webhookEnv" -}}
- name: SPIDERPOOL_WEBHOOK_PORT
  value: {{ .Values.spiderpoolController.webhookPort | quote }}
{{- if .Values.spiderpoolController.webhookClientCA.secretName }}
- name: SPIDERPOOL_WEBHOOK_CLIENT_CA
  value: /etc/tls-client-ca/ca.crt
{{- end }}
{{- end }}

{{/* volumes of whichever process serves the admission webhooks */}}
{{- define "spiderpool.webhookVolumes" -}}
- name: tls
  secret:
    secretName: {{ .Values.spiderpoolController.tls.secretName }}
    defaultMode: 0400
{{- if .Values.spiderpoolController.webhookClientCA.secretName }}
- name: tls-client-ca
  secret:
    secretName: {{ .Values.spiderpoolController.webhookClientCA.secretName }}
    defaultMode: 0444
{{- end }}
{{- end }}

{{- define "spiderpool.webhookVolumeMounts" -}}
- name: tls
  mountPath: /etc/tls
  readOnly: true
{{- if .Values.spiderpoolController.webhookClientCA.secretName }}
- name: tls-client-ca
  mountPath: /etc/tls-client-ca
  readOnly: true
{{- end }}
{{- end }}

{{/* probes against the health port; .host is where the process binds it */}}
{{- define "spiderpool.probes" -}}
{{- $h := .checking -}}
startupProbe:
  httpGet:
    {{- with .host }}
    host: {{ . | quote }}
    {{- end }}
    path: /v1/runtime/startup
    port: {{ .port }}
    scheme: HTTP
  failureThreshold: {{ $h.startupProbe.failureThreshold }}
  periodSeconds: {{ $h.startupProbe.periodSeconds }}
  successThreshold: 1
livenessProbe:
  httpGet:
    {{- with .host }}
    host: {{ . | quote }}
    {{- end }}
    path: /v1/runtime/liveness
    port: {{ .port }}
    scheme: HTTP
  initialDelaySeconds: 10
  periodSeconds: {{ $h.livenessProbe.periodSeconds }}
  successThreshold: 1
  failureThreshold: {{ $h.livenessProbe.failureThreshold }}
  timeoutSeconds: 3
readinessProbe:
  httpGet:
    {{- with .host }}
    host: {{ . | quote }}
    {{- end }}
    path: /v1/runtime/readiness
    port: {{ .port }}
    scheme: HTTP
  periodSeconds: {{ $h.readinessProbe.periodSeconds }}
  successThreshold: 1
  failureThreshold: {{ $h.readinessProbe.failureThreshold }}
  timeoutSeconds: 3
{{- end }}
