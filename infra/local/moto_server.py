"""moto server with the parts of AWS's behaviour the local pipeline needs and moto lacks.

Run with the project venv's python:  python infra/local/moto_server.py -H 127.0.0.1 -p 4566

Two additions, both AWS behaviour rather than new features:

1. Trace propagation. With active tracing on a topic, AWS carries the X-Ray header of a Publish
   call (the `X-Amzn-Trace-Id` request header) to every SQS message it delivers, as the
   `AWSTraceHeader` system attribute (X-Ray Developer Guide, "Amazon SNS and AWS X-Ray";
   "Amazon SQS and AWS X-Ray"). moto drops it.
2. AWS's internal view. CloudWatch's AWS/SNS and AWS/SQS metrics come from inside the services:
   how many notifications each topic delivered, filtered out or failed to deliver; how many
   messages each queue was sent (moves to a dead-letter queue excluded, as on AWS), returned by
   receives and deleted; each queue's depth and oldest message. `GET /_fanout/state` reports exactly those, counted where moto does
   the work, so the local telemetry publishes real counts rather than guesses.

   Also as on AWS, a delivery failure to one subscription (a deleted queue) no longer fails the
   whole Publish: it counts as NumberOfNotificationsFailed.

Written against moto 5.2.3 (pinned in requirements.txt); the patches name the functions they wrap.
"""

import json
import os
import sys
import threading
from collections import defaultdict

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sns import models as sns_models
from moto.sns import responses as sns_responses
from moto.sqs import models as sqs_models
from moto.sqs import responses as sqs_responses
from werkzeug.serving import run_simple

_local = threading.local()
_lock = threading.Lock()
_topic_counts = defaultdict(lambda: {"published": 0, "delivered": 0, "filteredOut": 0, "failed": 0})
_queue_counts = defaultdict(lambda: {"sent": 0, "received": 0, "deleted": 0})


def _with_trace_header(handler):
    """Remembers the request's X-Ray header while SNS handles a Publish or PublishBatch."""

    def wrapped(self, *args, **kwargs):
        _local.trace_header = self.headers.get("X-Amzn-Trace-Id")
        try:
            return handler(self, *args, **kwargs)
        finally:
            _local.trace_header = None

    return wrapped


sns_responses.SNSResponse.publish = _with_trace_header(sns_responses.SNSResponse.publish)
sns_responses.SNSResponse.publish_batch = _with_trace_header(sns_responses.SNSResponse.publish_batch)

_original_send_message = sqs_models.SQSBackend.send_message


def _send_message(self, queue_name, message_body, *args, **kwargs):
    header = getattr(_local, "trace_header", None)
    if header and not kwargs.get("system_attributes"):
        kwargs["system_attributes"] = {"AWSTraceHeader": {"StringValue": header, "DataType": "String"}}
    message = _original_send_message(self, queue_name, message_body, *args, **kwargs)
    _count_queue(self, queue_name, "sent", 1)
    _local.sends = getattr(_local, "sends", 0) + 1
    return message


_original_send_message_batch = sqs_models.SQSBackend.send_message_batch


def _send_message_batch(self, queue_name, entries):
    """SendMessageBatch drops each entry's MessageSystemAttributes (AWSTraceHeader); AWS keeps them."""
    messages, failed = _original_send_message_batch(self, queue_name, entries)
    by_id = {entry["Id"]: entry for entry in entries.values()}
    for message in messages:
        system = by_id.get(getattr(message, "user_id", None), {}).get("MessageSystemAttributes")
        if system:
            message.system_attributes = system
    return messages, failed


def _count_queue(backend, queue_name, counter, n):
    arn = backend.get_queue(queue_name).queue_arn
    with _lock:
        _queue_counts[arn][counter] += n


_original_receive_message = sqs_models.SQSBackend.receive_message


def _receive_message(self, queue_name, *args, **kwargs):
    messages = _original_receive_message(self, queue_name, *args, **kwargs)
    _count_queue(self, queue_name, "received", len(messages))
    return messages


_original_delete_message = sqs_models.SQSBackend.delete_message


def _delete_message(self, queue_name, receipt_handle):
    # AWS counts every successful delete, repeated ones included ("Available CloudWatch metrics for Amazon SQS").
    _original_delete_message(self, queue_name, receipt_handle)
    _count_queue(self, queue_name, "deleted", 1)


sqs_models.SQSBackend.send_message = _send_message
sqs_models.SQSBackend.send_message_batch = _send_message_batch
sqs_models.SQSBackend.receive_message = _receive_message
sqs_models.SQSBackend.delete_message = _delete_message

_original_topic_publish = sns_models.Topic.publish


def _topic_publish(self, *args, **kwargs):
    message_id = _original_topic_publish(self, *args, **kwargs)
    with _lock:
        _topic_counts[self.arn]["published"] += 1
    return message_id


sns_models.Topic.publish = _topic_publish

_original_subscription_publish = sns_models.Subscription.publish


def _subscription_publish(self, *args, **kwargs):
    if self.protocol != "sqs":
        return _original_subscription_publish(self, *args, **kwargs)
    before = getattr(_local, "sends", 0)
    outcome = "delivered"
    try:
        _original_subscription_publish(self, *args, **kwargs)
        if getattr(_local, "sends", 0) == before:
            outcome = "filteredOut"
    except Exception as error:  # noqa: BLE001 - any delivery error is a failed notification on AWS
        outcome = "failed"
        print(f"[fanout] delivery to {self.endpoint} failed: {error!r}", file=sys.stderr)
    with _lock:
        _topic_counts[self.topic_arn][outcome] += 1


sns_models.Subscription.publish = _subscription_publish


# --- DeadLetterQueueSourceArn ------------------------------------------------------------------
# AWS marks a message it moves to a dead-letter queue with the DeadLetterQueueSourceArn system
# attribute, the ARN of the queue it came from, returned by ReceiveMessage when asked for (SQS API
# Reference, ReceiveMessage, MessageSystemAttributeNames). moto 5.2.3 moves the message inside
# ReceiveMessage (`dead_letter_queue.add_message`) without it; these two wrappers add it.

_receive_before_dlq_source = sqs_models.SQSBackend.receive_message


def _receive_marking_dlq_source(self, queue_name, *args, **kwargs):
    """Marks each message this receive moves to the queue's DLQ with the queue's ARN."""
    queue = self.get_queue(queue_name)
    dlq = queue.dead_letter_queue
    if dlq is None:
        messages = _receive_before_dlq_source(self, queue_name, *args, **kwargs)
    else:
        with queue._messages_lock:
            before = {id(m) for m in queue._messages}
        messages = _receive_before_dlq_source(self, queue_name, *args, **kwargs)
        with dlq._messages_lock:
            for m in dlq._messages:
                if id(m) in before and "DeadLetterQueueSourceArn" not in m.system_attributes:
                    m.system_attributes = {**m.system_attributes, "DeadLetterQueueSourceArn": {"StringValue": queue.queue_arn, "DataType": "String"}}
    _local.dlq_sources = {m.id: m.system_attributes["DeadLetterQueueSourceArn"]["StringValue"] for m in messages if "DeadLetterQueueSourceArn" in (m.system_attributes or {})}
    return messages


sqs_models.SQSBackend.receive_message = _receive_marking_dlq_source

_receive_response_before_dlq_source = sqs_responses.SQSResponse.receive_message


def _receive_response_with_dlq_source(self):
    """Puts DeadLetterQueueSourceArn in ReceiveMessage's answer when the caller asked for it (or All)."""
    _local.dlq_sources = {}
    result = _receive_response_before_dlq_source(self)
    names = set(self._get_param("MessageSystemAttributeNames", []) or []) | set(self._get_param("AttributeNames", []) or [])
    sources = getattr(_local, "dlq_sources", {})
    if sources and ("All" in names or "DeadLetterQueueSourceArn" in names):
        for msg in (result.result or {}).get("Messages", []):
            arn = sources.get(msg["MessageId"])
            if arn:
                msg.setdefault("Attributes", {})["DeadLetterQueueSourceArn"] = arn
    return result


sqs_responses.SQSResponse.receive_message = _receive_response_with_dlq_source


def _state():
    queues = {}
    for account in list(sqs_models.sqs_backends.keys()):
        for region, backend in list(sqs_models.sqs_backends[account].items()):
            for queue in list(backend.queues.values()):
                with queue._messages_lock:
                    messages = list(queue._messages)
                oldest = min((m.sent_timestamp for m in messages), default=None)
                with _lock:
                    counts = dict(_queue_counts.get(queue.queue_arn, {"sent": 0, "received": 0, "deleted": 0}))
                queues[queue.queue_arn] = {
                    **counts,
                    "oldestSentTimestamp": oldest,
                    "visible": queue.approximate_number_of_messages,
                    "notVisible": queue.approximate_number_of_messages_not_visible,
                    "delayed": queue.approximate_number_of_messages_delayed,
                }
    with _lock:
        topics = {arn: dict(counts) for arn, counts in _topic_counts.items()}
    return {"sns": topics, "sqs": queues}


def _app(moto_app):
    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/_fanout/state":
            body = json.dumps(_state()).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return moto_app(environ, start_response)

    return app


def main(argv):
    host, port = "127.0.0.1", 4566
    i = 0
    while i < len(argv):
        if argv[i] in ("-H", "--host"):
            host = argv[i + 1]
        elif argv[i] in ("-p", "--port"):
            port = int(argv[i + 1])
        i += 2
    os.environ.setdefault("MOTO_PORT", str(port))  # moto builds queue URLs from it
    moto_app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, _app(moto_app), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main(sys.argv[1:])
