{{/*
`helm test`: a Pod that runs the adapter image's own node (no other image to pull) with the script
below. It waits until the release answers GET /readyz, then, for a chart that receives webhooks
(templates/_test.tpl, generated from adapters.ts testDelivery), sends one delivery authenticated
with the release's own Secret, as the sender would, and expects 2xx: the adapter verified it and
the sink accepted what it forwarded. It reaches the pods through the chart's Service, or, when
the chart has none enabled, through a Service that exists for the test only.
*/}}

{{- define "tributary.testServiceName" -}}
{{- if (.Values.service | default dict).enabled -}}
{{- include "tributary.fullname" . -}}
{{- else -}}
{{- include "tributary.testName" . -}}
{{- end -}}
{{- end -}}

{{/* <fullname>-test within the 52 characters every name of the release keeps to. */}}
{{- define "tributary.testName" -}}
{{- printf "%s-test" (include "tributary.fullname" . | trunc 47 | trimSuffix "-") -}}
{{- end -}}

{{/* Labels of the test's own objects: never the selector labels, so no Service, PDB or spread selects the test Pod. */}}
{{- define "tributary.testLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ printf "%s-test" (include "tributary.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tributary
app.kubernetes.io/component: test
{{- end -}}

{{/*
The delivery to send, as JSON with the signing decision made: {headers, body, auth} with auth
dropped when the release has no such key (unsigned intake), or "" for a readiness check only (no
webhook, or a credential only the sender holds is mounted).
*/}}
{{- define "tributary.testDelivery" -}}
{{- with include "adapter.testDelivery" . | trim -}}
{{- $delivery := tpl . $ | fromJson -}}
{{- $keys := include "tributary.secretKeys" $ | fromJsonArray -}}
{{- $blocked := false -}}
{{- range $delivery.unsignable | default list }}{{ if has . $keys }}{{ $blocked = true }}{{ end }}{{ end -}}
{{- range $delivery.unsignableEnv | default list }}{{ if eq (get ($.Values.env | default dict) . | toString | lower) "true" }}{{ $blocked = true }}{{ end }}{{ end -}}
{{- if not $blocked -}}
{{- if not (has $delivery.auth.key $keys) }}{{ $_ := unset $delivery "auth" }}{{ end -}}
{{- toJson (omit $delivery "unsignable" "unsignableEnv") -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Node 24 (global fetch), CommonJS for `node -e`; reads TEST_URL, TEST_DELIVERY, TEST_SECRET_DIR. */}}
{{- define "tributary.testScript" -}}
const { createHmac } = require('node:crypto');
const { readFileSync } = require('node:fs');
const base = process.env.TEST_URL;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function ready() {
  const deadline = Date.now() + Number(process.env.TEST_READY_SECONDS) * 1000;
  for (;;) {
    let last;
    try {
      const response = await fetch(base + '/readyz', { signal: AbortSignal.timeout(5000) });
      if (response.ok) return console.log('ready: GET ' + base + '/readyz answered ' + response.status);
      last = response.status + ' ' + (await response.text());
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    if (Date.now() > deadline) throw new Error('not ready: GET ' + base + '/readyz: ' + last);
    await sleep(2000);
  }
}
async function deliver() {
  if (!process.env.TEST_DELIVERY) return console.log('no test delivery for this release: readiness only');
  const { headers, body, auth } = JSON.parse(process.env.TEST_DELIVERY);
  const payload = JSON.stringify(body);
  const sent = { 'content-type': 'application/json', ...headers };
  if (auth) {
    // As the adapter reads <KEY>_FILE: trailing line breaks are not part of the secret.
    const secret = readFileSync(process.env.TEST_SECRET_DIR + '/' + auth.key, 'utf8').replace(/[\r\n]+$/, '');
    sent[auth.header] =
      auth.scheme === 'hmac-sha256' ? 'sha256=' + createHmac('sha256', secret).update(payload).digest('hex') : secret;
  }
  const response = await fetch(base + '/', { method: 'POST', headers: sent, body: payload, signal: AbortSignal.timeout(60000) });
  const text = await response.text();
  if (!response.ok) throw new Error('test delivery ' + (auth ? 'signed with ' + auth.key : 'unsigned') + ': ' + response.status + ' ' + text);
  console.log('test delivery ' + (auth ? 'signed with ' + auth.key : 'unsigned') + ' accepted: ' + response.status);
}
ready().then(deliver).then(
  () => console.log('ok'),
  (error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
{{- end -}}

{{- define "tributary.tests" -}}
{{- $service := include "tributary.testServiceName" . -}}
{{- $delivery := include "tributary.testDelivery" . -}}
{{- $auth := ($delivery | default "{}" | fromJson).auth | default dict -}}
{{- $file := dict -}}
{{- range include "tributary.secretFiles" . | fromJsonArray }}{{ if eq .variable ($auth.key | default "") }}{{ $file = . }}{{ end }}{{ end -}}
{{- if not (.Values.service | default dict).enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $service }}
  labels:
    {{- include "tributary.testLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: test
    {{- /* Before the Pod, so that its name resolves. */}}
    helm.sh/hook-weight: "-1"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  type: ClusterIP
  selector:
    {{- include "tributary.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
{{- end }}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "tributary.testName" . }}
  labels:
    {{- include "tributary.testLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: test
      image: {{ include "tributary.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: [node, -e]
      args:
        - {{ include "tributary.testScript" . | quote }}
      env:
        - name: TEST_URL
          value: {{ printf "http://%s.%s.svc:%d" $service .Release.Namespace (int (ternary .Values.service.port 80 (.Values.service | default dict).enabled)) | quote }}
        - name: TEST_READY_SECONDS
          value: "120"
        {{- with $delivery }}
        - name: TEST_DELIVERY
          value: {{ . | quote }}
        - name: TEST_SECRET_DIR
          value: {{ include "tributary.secretDir" $ | quote }}
        {{- end }}
      resources:
        requests:
          cpu: 10m
          memory: 32Mi
        limits:
          memory: 96Mi
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      {{- /* Only the key the delivery is signed with, nothing else of the release's secrets. */}}
      {{- with $file }}
      volumeMounts:
        - name: secret
          mountPath: {{ include "tributary.secretDir" $ }}
          readOnly: true
  volumes:
    - name: secret
      projected:
        defaultMode: 288
        sources:
          - secret:
              name: {{ .secret }}
              items:
                - key: {{ .key }}
                  path: {{ .variable }}
      {{- end }}
{{- end -}}
