// GET /openapi.yaml: the control plane's OpenAPI 3.1 description. A test checks that every
// route of `ControlRoute.all` is here with its method and role, and that nothing else is.

/// The OpenAPI document served at /openapi.yaml.
enum OpenAPISpec {
    static let yaml = """
        openapi: 3.1.0
        info:
          title: Quantum Agent control plane
          version: 1.0.0
          description: >-
            Health, metrics, actors, alerts, trading control and models of one agent. Reads need the
            viewer role, acknowledge/snooze/pause/resume need operator, halt and rollback need admin
            (x-required-role). Tokens: `quantum-agent token issue --role ROLE --ttl DURATION`.
            Errors are {"error":{"status","code","message","field"}}; 429 carries Retry-After.
        servers:
          - url: http://127.0.0.1:8080
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
              bearerFormat: JWT (HS256; claims sub, iss, iat, exp, role)
          responses:
            Error:
              description: A JSON error naming the field at fault when there is one.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
          parameters:
            AlertID:
              name: id
              in: path
              required: true
              schema: {type: integer, minimum: 0}
          schemas:
            Error:
              type: object
              properties:
                error:
                  type: object
                  required: [status, code, message]
                  properties:
                    status: {type: integer}
                    code: {type: string, examples: [unauthorized, forbidden, invalid_field, rate_limited, not_found, conflict, body_too_large, auth_not_configured]}
                    message: {type: string}
                    field: {type: string}
            HealthReport:
              type: object
              required: [status, environment, uptimeSeconds, subsystems]
              properties:
                status: {type: string, enum: [ok, degraded, failing]}
                environment: {type: string}
                uptimeSeconds: {type: number}
                subsystems:
                  type: array
                  items:
                    type: object
                    required: [name, status, detail]
                    properties:
                      name: {type: string, description: "executor:NAME, actor:NAME, feed, redis, journal, models, memory, cpu, latency"}
                      status: {type: string, enum: [ok, degraded, failing]}
                      detail: {type: string}
            ActorsDocument:
              type: object
              required: [actors, executors]
              properties:
                actors:
                  type: array
                  items:
                    type: object
                    description: "Runtime ActorStats: name, parent, executor, core, idleStrategy, latencyClass, state, mailbox {capacity, depth, highWater, enqueued, delivered, droppedOldest, droppedNewest, rejected, conflated}, processed, ratePerSecond, handlerLatency {count, p50, p90, p99, p999, max, mean} (ns), restarts, lastError"
                executors:
                  type: array
                  items:
                    type: object
                    properties:
                      name: {type: string}
                      core: {type: integer}
                      idleStrategy: {type: string, enum: [spin, spinThenPark, park]}
                      busyFraction: {type: number}
                      actors: {type: array, items: {type: string}}
                endToEndLatency:
                  type: object
                  description: Tick-to-order latency summary, ns.
            Alert:
              type: object
              description: "Alerts module Alert: id, key, rule, metric, severity, summary, state (firing, acknowledged, snoozed, resolved), value, threshold, firstSeenAt, lastSeenAt, occurrences, acknowledgedBy, snoozedUntil (ns since the epoch)"
            ControlState:
              type: object
              required: [trading]
              properties:
                trading: {type: string, enum: [active, paused, halted]}
                reason: {type: string}
                changedBy: {type: string}
                changedAt: {type: number}
            ModelInfo:
              type: object
              required: [name, kind, version, role]
              properties:
                name: {type: string}
                kind: {type: string, enum: [ONLINE_GD, INCREMENTAL_SVM, STREAM_RF, ENSEMBLE]}
                version: {type: integer}
                previousVersion: {type: integer}
                accuracy: {type: number}
                role: {type: string}
            ReasonBody:
              type: object
              additionalProperties: false
              properties:
                reason: {type: string, maxLength: 500}
        paths:
          /health:
            get:
              summary: Status per subsystem (200 ok or degraded, 503 failing).
              x-required-role: none
              responses:
                "200": {description: Healthy or degraded, content: {application/json: {schema: {$ref: "#/components/schemas/HealthReport"}}}}
                "503": {description: A subsystem is failing, content: {application/json: {schema: {$ref: "#/components/schemas/HealthReport"}}}}
          /metrics:
            get:
              summary: Prometheus text exposition, metric names quantum_agent_….
              x-required-role: none
              responses:
                "200": {description: Metrics, content: {text/plain: {schema: {type: string}}}}
          /openapi.yaml:
            get:
              summary: This document.
              x-required-role: none
              responses:
                "200": {description: OpenAPI YAML, content: {application/yaml: {schema: {type: string}}}}
          /api/actors:
            get:
              summary: Actors, executors and end-to-end latency (the inspector's data).
              x-required-role: viewer
              security: [{bearer: []}]
              responses:
                "200": {description: Actors, content: {application/json: {schema: {$ref: "#/components/schemas/ActorsDocument"}}}}
                "401": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /api/alerts:
            get:
              summary: Open alerts.
              x-required-role: viewer
              security: [{bearer: []}]
              responses:
                "200":
                  description: Alerts
                  content:
                    application/json:
                      schema: {type: object, properties: {alerts: {type: array, items: {$ref: "#/components/schemas/Alert"}}}}
                "401": {$ref: "#/components/responses/Error"}
          /api/alerts/{id}/acknowledge:
            post:
              summary: Acknowledge an alert (no body, or {}).
              x-required-role: operator
              security: [{bearer: []}]
              parameters: [{$ref: "#/components/parameters/AlertID"}]
              responses:
                "200": {description: The alert, content: {application/json: {schema: {type: object, properties: {alert: {$ref: "#/components/schemas/Alert"}}}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/alerts/{id}/snooze:
            post:
              summary: Silence an alert for N minutes.
              x-required-role: operator
              security: [{bearer: []}]
              parameters: [{$ref: "#/components/parameters/AlertID"}]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      required: [minutes]
                      properties:
                        minutes: {type: number, minimum: 1, maximum: 10080}
              responses:
                "200": {description: The alert, content: {application/json: {schema: {type: object, properties: {alert: {$ref: "#/components/schemas/Alert"}}}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /api/control/pause:
            post:
              summary: Stop sending new orders.
              x-required-role: operator
              security: [{bearer: []}]
              requestBody: {required: false, content: {application/json: {schema: {$ref: "#/components/schemas/ReasonBody"}}}}
              responses:
                "200": {description: Trading state, content: {application/json: {schema: {type: object, properties: {state: {$ref: "#/components/schemas/ControlState"}}}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /api/control/resume:
            post:
              summary: Resume after a pause (409 when halted).
              x-required-role: operator
              security: [{bearer: []}]
              requestBody: {required: false, content: {application/json: {schema: {$ref: "#/components/schemas/ReasonBody"}}}}
              responses:
                "200": {description: Trading state, content: {application/json: {schema: {type: object, properties: {state: {$ref: "#/components/schemas/ControlState"}}}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /api/control/halt:
            post:
              summary: Emergency halt (cancels open orders, tells the cluster).
              x-required-role: admin
              security: [{bearer: []}]
              requestBody: {required: false, content: {application/json: {schema: {$ref: "#/components/schemas/ReasonBody"}}}}
              responses:
                "200": {description: Trading state, content: {application/json: {schema: {type: object, properties: {state: {$ref: "#/components/schemas/ControlState"}}}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /api/models:
            get:
              summary: Model versions.
              x-required-role: viewer
              security: [{bearer: []}]
              responses:
                "200":
                  description: Models
                  content:
                    application/json:
                      schema: {type: object, properties: {models: {type: array, items: {$ref: "#/components/schemas/ModelInfo"}}}}
                "401": {$ref: "#/components/responses/Error"}
          /api/models/rollback:
            post:
              summary: Roll the champion back to its previous version.
              x-required-role: admin
              security: [{bearer: []}]
              responses:
                "200":
                  description: The rollback
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          rollback: {type: object, properties: {model: {type: string}, fromVersion: {type: integer}, toVersion: {type: integer}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
        """
}
