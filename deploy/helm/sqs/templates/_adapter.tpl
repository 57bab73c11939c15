{{- define "sqs.arnParts" -}}
{{- /* https://sqs.<region>.amazonaws.com/<account>/<name> → [region, account, name] */ -}}
{{- $url := .Values.sqs.queueUrl -}}
{{- $parts := regexFindAll "[^/]+" (regexReplaceAll "^https?://" $url "") -1 -}}
{{- if and (eq (len $parts) 3) (regexMatch "^sqs\\.[a-z0-9-]+\\.amazonaws\\.com" (index $parts 0)) -}}
{{- list (regexReplaceAll "^sqs\\.([a-z0-9-]+)\\..*$" (index $parts 0) "${1}") (index $parts 1) (index $parts 2) | toJson -}}
{{- else -}}
[]
{{- end -}}
{{- end -}}

{{- define "adapter.env" }}
{{- with .Values.sqs }}
{{- with .queueUrl }}
- name: SQS_QUEUE_URL
  value: {{ . | quote }}
{{- end }}
{{- with .queueArn }}
- name: SQS_QUEUE_ARN
  value: {{ . | quote }}
{{- end }}
{{- with .region }}
- name: AWS_REGION
  value: {{ . | quote }}
{{- end }}
- name: SQS_MESSAGE_PROCESSOR
  value: {{ .messageProcessor | quote }}
- name: SQS_RECEIVERS
  value: {{ .receivers | toString | quote }}
{{- with .maxInflight }}
- name: SQS_MAX_INFLIGHT
  value: {{ . | toString | quote }}
{{- end }}
{{- with .endpoint }}
- name: AWS_ENDPOINT_URL_SQS
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}

{{- /* TriggerMesh's source: the queue ARN, given or derived from the queue URL. */}}
{{- define "adapter.eventSource" -}}
{{- if .Values.sqs.queueArn -}}
{{- .Values.sqs.queueArn -}}
{{- else -}}
{{- $parts := include "sqs.arnParts" . | fromJsonArray -}}
{{- if $parts -}}
{{- printf "arn:aws:sqs:%s:%s:%s" (index $parts 0) (index $parts 1) (index $parts 2) -}}
{{- end -}}
{{- end -}}
{{- end }}

{{- /* SQS_MESSAGE_PROCESSOR decides which types a message can become. */}}
{{- define "adapter.eventTypeFilter" }}{{ list .Values.sqs.messageProcessor | toJson }}{{ end }}

{{- define "adapter.requirements" }}
{{- if not (or .Values.sqs.queueUrl .Values.sqs.queueArn) }}
- "sqs.queueUrl or sqs.queueArn: the queue to receive from"
{{- end }}
{{- end }}
