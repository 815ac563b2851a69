/**
 * Lambda events that carry an S3 event the way AWS wraps it: an SQS message whose body is the event,
 * an SNS notification whose Message is the event, and an SNS notification delivered through SQS
 * (a queue subscribed to the topic without raw message delivery).
 */

export const deliveries = {
  sqs: (message: unknown) => ({
    Records: [
      {
        messageId: '19dd0b57-b21e-4ac1-bd88-01bbb068cb78',
        receiptHandle: 'MessageReceiptHandle',
        body: JSON.stringify(message),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1523232000000' },
        messageAttributes: {},
        md5OfBody: '7b270e59b47ff90a553787216d55d91d',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:uploads',
        awsRegion: 'us-east-1',
      },
    ],
  }),
  sns: (message: unknown) => ({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:uploads:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55',
        Sns: snsNotification(message),
      },
    ],
  }),
  snsThroughSqs: (message: unknown) => deliveries.sqs(snsNotification(message)),
};

function snsNotification(message: unknown) {
  return {
    Type: 'Notification',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:uploads',
    Subject: 'Amazon S3 Notification',
    Message: JSON.stringify(message),
    Timestamp: '2019-01-02T12:45:07.000Z',
    SignatureVersion: '1',
    Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
    SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem',
    UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
    MessageAttributes: {},
  };
}
