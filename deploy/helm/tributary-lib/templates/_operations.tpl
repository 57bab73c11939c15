{{/*
Operations, each opt-in: a PodDisruptionBudget, a HorizontalPodAutoscaler (for the Deployment the
chart owns: not with a ContainerSource, whose Deployment Knative owns, nor beside KEDA), and a
Prometheus Operator ServiceMonitor (through the chart's Service) or PodMonitor (straight to the
pods) for the metrics port.
*/}}
{{- define "tributary.podDisruptionBudget" -}}
{{- $pdb := .Values.podDisruptionBudget | default dict -}}
{{- if $pdb.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" $pdb.minAvailable) }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "tributary.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}

{{- define "tributary.autoscaler" -}}
{{- $hpa := .Values.autoscaling | default dict -}}
{{- if $hpa.enabled -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "tributary.fullname" . }}
  minReplicas: {{ $hpa.minReplicas }}
  maxReplicas: {{ $hpa.maxReplicas }}
  metrics:
    {{- with $hpa.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with $hpa.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
{{- end -}}
{{- end -}}

{{- define "tributary.monitorEndpoint" -}}
port: metrics
path: /metrics
{{- with .interval }}
interval: {{ . }}
{{- end }}
{{- with .scrapeTimeout }}
scrapeTimeout: {{ . }}
{{- end }}
{{- end -}}

{{- define "tributary.serviceMonitor" -}}
{{- $monitor := .Values.serviceMonitor | default dict -}}
{{- if $monitor.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
    {{- with $monitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "tributary.selectorLabels" . | nindent 6 }}
  endpoints:
    - {{ include "tributary.monitorEndpoint" $monitor | nindent 6 | trim }}
{{- end -}}
{{- end -}}

{{- define "tributary.podMonitor" -}}
{{- $monitor := .Values.podMonitor | default dict -}}
{{- if $monitor.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
    {{- with $monitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "tributary.selectorLabels" . | nindent 6 }}
  podMetricsEndpoints:
    - {{ include "tributary.monitorEndpoint" $monitor | nindent 6 | trim }}
{{- end -}}
{{- end -}}

{{/* topologySpreadConstraints, each without a labelSelector given this release's pods. */}}
{{- define "tributary.topologySpread" -}}
{{- $constraints := list -}}
{{- range .Values.topologySpreadConstraints | default list -}}
{{- $c := deepCopy . -}}
{{- if not (hasKey $c "labelSelector") -}}
{{- $_ := set $c "labelSelector" (dict "matchLabels" (include "tributary.selectorLabels" $ | fromYaml)) -}}
{{- end -}}
{{- $constraints = append $constraints $c -}}
{{- end -}}
{{- with $constraints }}{{ toYaml . }}{{ end -}}
{{- end -}}
