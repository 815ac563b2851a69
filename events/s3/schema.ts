import { z } from 'zod';

/**
 * The S3 event shapes Lambda receives, declared once; every type below is derived from them.
 * Objects are loose on purpose: AWS adds fields over time (eventVersion went 2.0 -> 2.3 by adding
 * some), and samples carry non-AWS ones (`urlDecodedKey`), so an unknown field is never an error.
 * Only what a consumer relies on is required; values that real deliveries or recordings vary
 * (region, time, sequencer placeholders, bucket name vs ARN) are taken as strings, unchecked.
 */

/** Only the major version is a contract: 2.0 to 2.3 are all seen in the wild and read the same. */
const eventVersionSchema = z.string().refine((version) => /^2\.\d+$/.test(version), {
  error: (issue) =>
    `unsupported eventVersion ${JSON.stringify(issue.input)}: only S3 event format 2.x (2.0 to 2.3 seen so far) is understood`,
});

const principalSchema = z.looseObject({ principalId: z.string() });

/** The object as a notification names it: `key` stays URL-encoded here, as delivered (see key-encoding.ts). */
export const s3NotificationObjectSchema = z.looseObject({
  key: z.string(),
  // Absent on deletes, tagging and ACL events.
  size: z.number().int().nonnegative().optional(),
  eTag: z.string().optional(),
  // Absent on unversioned buckets; `""` in some samples.
  versionId: z.string().optional(),
  // Absent on tagging and ACL events; placeholders such as "Happy Sequencer" in samples.
  sequencer: z.string().optional(),
});

const restoreEventDataSchema = z.looseObject({
  lifecycleRestorationExpiryTime: z.string().optional(),
  lifecycleRestoreStorageClass: z.string().optional(),
});

export const s3EventRecordSchema = z.looseObject({
  eventVersion: eventVersionSchema,
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.string(),
  /** `ObjectCreated:Put` per the docs; some samples write `s3:ObjectRestore:Completed`. */
  eventName: z.string().min(1),
  userIdentity: principalSchema,
  requestParameters: z.looseObject({ sourceIPAddress: z.string() }),
  responseElements: z.looseObject({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
  s3: z.looseObject({
    s3SchemaVersion: z.string(),
    configurationId: z.string(),
    bucket: z.looseObject({ name: z.string().min(1), ownerIdentity: principalSchema, arn: z.string() }),
    object: s3NotificationObjectSchema,
  }),
  glacierEventData: z.looseObject({ restoreEventData: restoreEventDataSchema.optional() }).optional(),
  restoreEventData: restoreEventDataSchema.optional(),
  lifecycleEventData: z
    .looseObject({ transitionEventData: z.looseObject({ destinationStorageClass: z.string().optional() }).optional() })
    .optional(),
  intelligentTieringEventData: z.looseObject({ destinationAccessTier: z.string().optional() }).optional(),
  replicationEventData: z
    .looseObject({
      replicationRuleId: z.string().optional(),
      destinationBucket: z.string().optional(),
      s3Operation: z.string().optional(),
      requestTime: z.string().optional(),
      failureReason: z.string().optional(),
    })
    .optional(),
});

export const s3EventSchema = z.looseObject({ Records: z.array(s3EventRecordSchema) });

/** Sent once when a notification configuration is saved; it has no Records and names no object. */
export const s3TestEventSchema = z.looseObject({
  Service: z.string(),
  Event: z.literal('s3:TestEvent'),
  Time: z.string(),
  Bucket: z.string(),
  RequestId: z.string(),
  HostId: z.string(),
});

/** SQS delivery: each record's body is the S3 event (or an SNS notification of it) as JSON text. */
export const sqsEnvelopeSchema = z.looseObject({
  Records: z.array(
    z.looseObject({
      messageId: z.string(),
      body: z.string(),
      eventSource: z.literal('aws:sqs'),
      eventSourceARN: z.string(),
      awsRegion: z.string(),
    }),
  ),
});

/**
 * An SNS notification: the `Sns` member of a Lambda SNS record, and also the JSON body SQS holds
 * when a queue subscribes to a topic without raw delivery. `Message` is the S3 event as JSON text.
 */
export const snsNotificationSchema = z.looseObject({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  TopicArn: z.string(),
  Message: z.string(),
  Timestamp: z.string(),
});

export const snsEnvelopeSchema = z.looseObject({
  Records: z.array(z.looseObject({ EventSource: z.literal('aws:sns'), Sns: snsNotificationSchema })),
});

/**
 * What S3 sends to EventBridge: one object per event, no Records, hyphenated field names, `etag`
 * in lower case. The key is taken as the plain key, not URL-encoded as in notifications: that is
 * what AWS documents, but no sample or recording in the corpus has a key with a character that
 * would be encoded, so it is not confirmed by a capture.
 */
export const s3EventBridgeEventSchema = z.looseObject({
  version: z.string(),
  id: z.string(),
  // A string, not an enum: a detail-type added by AWS later still names an object ('other' kind).
  'detail-type': z.string(),
  source: z.literal('aws.s3'),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({
      key: z.string(),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
      'version-id': z.string().optional(),
      sequencer: z.string().optional(),
    }),
    'request-id': z.string().optional(),
    requester: z.string().optional(),
    'source-ip-address': z.string().optional(),
    reason: z.string().optional(),
    'deletion-type': z.string().optional(),
    'restore-expiry-time': z.string().optional(),
    'source-storage-class': z.string().optional(),
    'destination-storage-class': z.string().optional(),
    'destination-access-tier': z.string().optional(),
  }),
});

export type S3EventRecord = z.output<typeof s3EventRecordSchema>;
export type S3Event = z.output<typeof s3EventSchema>;
export type S3TestEvent = z.output<typeof s3TestEventSchema>;
export type SqsEnvelope = z.output<typeof sqsEnvelopeSchema>;
export type SnsNotification = z.output<typeof snsNotificationSchema>;
export type SnsEnvelope = z.output<typeof snsEnvelopeSchema>;
export type S3EventBridgeEvent = z.output<typeof s3EventBridgeEventSchema>;
