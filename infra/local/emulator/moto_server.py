"""moto server with the parts of AWS's behaviour the local pipeline needs and moto lacks.

Run with the project venv's python:  python infra/local/emulator/moto_server.py -H 127.0.0.1 -p 4566

Additions, AWS behaviour rather than new features:

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
3. CloudWatch that stays fast. moto answers GetMetricData by walking every datapoint it holds once
   per period of every query; the section "CloudWatch metric data, indexed by metric and time"
   answers PutMetricData, GetMetricData, GetMetricStatistics and ListMetrics from an index by
   metric and time instead, with moto's answers (docs/local-aws.md).
4. Lambda on the one endpoint. The local run serves Lambda itself (infra/local/lambda), one service
   per account and region; each registers here, and a Lambda request signed for that account and
   region is passed on to it, so one endpoint serves every service of every account, as an
   environment's `endpoint` (or AWS_ENDPOINT_URL) expects.

Written against moto 5.2.3 (pinned in requirements.txt); the patches name the functions they wrap.
"""

import bisect
import http.client
import json
import os
import re
import sys
import threading
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from moto.cloudwatch import models as cloudwatch_models
from moto.iam.models import get_account_id_from
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sns import models as sns_models
from moto.sns import responses as sns_responses
from moto.sqs import models as sqs_models
from moto.sqs import responses as sqs_responses
from urllib.parse import quote, urlsplit
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


# ── 3. CloudWatch metric data, indexed by metric and time ────────────────────────────────────────
#
# moto keeps every PutMetricData datapoint in one list and, for each GetMetricData query, walks the
# whole list once per period (CloudWatchBackend.get_metric_data): the cost grows with everything
# ever put × periods × queries, and the demo's SLA page took minutes after an hour. Here each metric
# (namespace, name, dimension set) and unit has its own time-sorted columns; a query bisects to its
# range and to each period's end, and aggregates the slices with C builtins (sum, min, max).
# Datapoints with the same timestamp are merged into one statistic set when put: they always fall in
# the same period, so every statistic is unchanged (CloudWatch itself keeps standard-resolution data
# at one-minute granularity: User Guide, "Publish custom metrics", "High-resolution metrics").
#
# moto's semantics are kept: the period grid starts at StartTime (microseconds dropped); only
# periods with data are returned; a query without dimensions aggregates every dimension set of the
# metric; Sum, Average, Minimum, Maximum and SampleCount, any other statistic answers no value;
# GetMetricStatistics' grid starts at the first datapoint and its dimensions match as a subset;
# metric math runs on the results; a Metrics Insights query (SELECT …) goes to moto's own code.
# Two corrections, as AWS identifies a metric by namespace, name and dimensions (User Guide,
# "CloudWatch concepts", Namespaces; API Reference, Dimension): a query with dimensions matches the
# namespace too (moto compared only the name), and ListMetrics lists each metric once (moto listed
# a metric without dimensions once per datapoint).
# Nothing is dropped: at the demo's rate a day is about 95,000 entries (see docs/local-aws.md).
# FANOUT_LOCAL_CLOUDWATCH_INDEX=off leaves moto's own storage in place (the benches' baseline).

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_metric_lock = threading.Lock()


def _micros(moment):
    """Whole microseconds since the epoch; moto's timestamps are naive UTC or aware."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class _MetricSeries:
    """One metric's datapoints in one unit: parallel columns sorted by time, one entry per timestamp."""

    __slots__ = ("times", "stamps", "sums", "counts", "mins", "maxs")

    def __init__(self):
        self.times, self.stamps, self.sums, self.counts, self.mins, self.maxs = [], [], [], [], [], []

    def add(self, stamp, total, count, low, high):
        at = _micros(stamp)
        times = self.times
        if not times or at > times[-1]:
            i = len(times)
        else:
            i = bisect.bisect_left(times, at)
            if times[i] == at:
                self.sums[i] += total
                self.counts[i] += count
                self.mins[i] = min(self.mins[i], low)
                self.maxs[i] = max(self.maxs[i], high)
                return
        times.insert(i, at)
        self.stamps.insert(i, stamp)
        self.sums.insert(i, total)
        self.counts.insert(i, count)
        self.mins.insert(i, low)
        self.maxs.insert(i, high)

    def aggregate(self, buckets, unit, origin, period, start, end):
        """Adds this series' datapoints in [start, end) to `buckets` (period index → statistics)."""
        times, sums, counts, mins, maxs = self.times, self.sums, self.counts, self.mins, self.maxs
        i = bisect.bisect_left(times, start)
        stop = bisect.bisect_left(times, end)
        while i < stop:
            k = (times[i] - origin) // period
            boundary = origin + (k + 1) * period
            if i + 1 == stop or times[i + 1] >= boundary:
                # one entry in the period, the usual case for per-minute data at a 60 s period
                j = i + 1
                total, count, low, high = sums[i], counts[i], mins[i], maxs[i]
            else:
                j = bisect.bisect_left(times, boundary, i, stop)
                total, count, low, high = sum(sums[i:j]), sum(counts[i:j]), min(mins[i:j]), max(maxs[i:j])
            last = times[j - 1]
            bucket = buckets.get(k)
            if bucket is None:
                buckets[k] = [total, count, low, high, last, unit]
            else:
                bucket[0] += total
                bucket[1] += count
                bucket[2] = min(bucket[2], low)
                bucket[3] = max(bucket[3], high)
                if last >= bucket[4]:
                    bucket[4], bucket[5] = last, unit
            i = j

    def first_time(self, start, end):
        i = bisect.bisect_left(self.times, start)
        return self.times[i] if i < len(self.times) and self.times[i] < end else None


def _statistic_set(namespace, name, dimensions, stamp, unit, total, count, low, high):
    """A moto MetricAggregatedDatum, for moto's Statistics and serializers, made without moto's
    BaseModel.__new__: that keeps every model instance ever created (instances_tracked), memory
    that would grow with every datapoint put."""
    datum = object.__new__(cloudwatch_models.MetricAggregatedDatum)
    datum.__dict__.update(
        namespace=namespace,
        name=name,
        dimensions=[cloudwatch_models.Dimension(n, v) for n, v in dimensions],
        timestamp=stamp,
        unit=unit,
        sum=total,
        sample_count=count,
        min=low,
        max=high,
    )
    return datum


class _MetricIndex:
    def __init__(self):
        # (namespace, name, dimension key) → {unit: _MetricSeries}, in the order metrics first appeared
        self.metrics = {}
        # the same key → what ListMetrics returns for the metric
        self.listed = {}

    def add(self, namespace, name, dimensions, stamp, unit, total, count, low, high):
        """One statistic set; `dimensions` as (name, value) pairs."""
        key = (namespace, name, tuple(sorted(dimensions)))
        units = self.metrics.get(key)
        if units is None:
            units = self.metrics[key] = {}
            self.listed[key] = _statistic_set(namespace, name, dimensions, stamp, unit, total, count, low, high)
        series = units.get(unit)
        if series is None:
            series = units[unit] = _MetricSeries()
        series.add(stamp, total, count, low, high)

    def add_datum(self, datum):
        """One of moto's datum objects (the metrics other services provide)."""
        dimensions = [(d.name, d.value) for d in datum.dimensions]
        if isinstance(datum, cloudwatch_models.MetricAggregatedDatum):
            self.add(datum.namespace, datum.name, dimensions, datum.timestamp, datum.unit, datum.sum, datum.sample_count, datum.min, datum.max)
        else:
            self.add(datum.namespace, datum.name, dimensions, datum.timestamp, datum.unit, datum.value, 1, datum.value, datum.value)

    def matching(self, namespace, name, dimensions, unit, subset=False):
        """(series, unit) pairs of a query: every dimension set without dimensions, else the same set
        (`subset`: each given dimension present, GetMetricStatistics' matching in moto)."""
        wanted = tuple(sorted((d["Name"], d.get("Value")) for d in dimensions))
        found = []
        for (ns, metric, dims), units in self.metrics.items():
            if ns != namespace or metric != name:
                continue
            if wanted:
                if subset:
                    if not all(any(n == dn and (v is None or v == dv) for dn, dv in dims) for n, v in wanted):
                        continue
                elif dims != wanted:
                    continue
            for series_unit, series in units.items():
                if not unit or series_unit == unit:
                    found.append((series, series_unit))
        return found

    def datums(self):
        """Everything held, as statistic sets (for code that reads moto's list)."""
        for (namespace, name, dims), units in self.metrics.items():
            for unit, series in units.items():
                for i in range(len(series.times)):
                    yield _statistic_set(namespace, name, dims, series.stamps[i], unit, series.sums[i], series.counts[i], series.mins[i], series.maxs[i])


def _metric_index(backend):
    index = backend.__dict__.get("_fanout_metric_index")
    if index is None:
        index = backend.__dict__["_fanout_metric_index"] = _MetricIndex()
    return index


def _with_provided_metrics(backend):
    """The index, plus the metrics moto's other services provide on the fly (S3's), if any."""
    provided = backend.aws_metric_data
    if not provided:
        return _metric_index(backend)
    combined = _MetricIndex()
    combined.metrics = {key: dict(units) for key, units in _metric_index(backend).metrics.items()}
    combined.listed = dict(_metric_index(backend).listed)
    for datum in provided:
        key = (datum.namespace, datum.name, tuple(sorted((d.name, d.value) for d in datum.dimensions)))
        units = combined.metrics.get(key)
        if units is not None and datum.unit in units:
            # copy before adding, so the stored series stays as put
            units[datum.unit] = _copy_series(units[datum.unit])
        combined.add_datum(datum)
    return combined


def _copy_series(series):
    copy = _MetricSeries()
    for name in _MetricSeries.__slots__:
        setattr(copy, name, list(getattr(series, name)))
    return copy


def _statistic(bucket, stat):
    total, count, low, high = bucket[0], bucket[1], bucket[2], bucket[3]
    if stat == "Sum":
        return total
    if stat == "Average":
        return total / count if count else None
    if stat == "Minimum":
        return low
    if stat == "Maximum":
        return high
    if stat == "SampleCount":
        return count
    return None


def _indexed_put_metric_data(self, namespace, metric_data):
    for i, metric in enumerate(metric_data):
        self._validate_parameters_put_metric_data(metric, i + 1)
    with _metric_lock:
        index = _metric_index(self)
        for member in metric_data:
            stamp = member.get("Timestamp") or cloudwatch_models.utcnow()
            name = member["MetricName"]
            dimensions = [(d["Name"], d["Value"]) for d in member.get("Dimensions") or []]
            unit = member.get("Unit")
            if member.get("Values"):
                values = member["Values"]
                counts = member.get("Counts") or ["1"] * len(values)
                # value i counted counts[i] times, as moto stores it
                for value, count in zip(values, counts):
                    value, n = float(value), int(float(count))
                    if n > 0:
                        index.add(namespace, name, dimensions, stamp, unit, sum([value] * n), n, value, value)
            elif member.get("StatisticValues"):
                s = member["StatisticValues"]
                index.add(namespace, name, dimensions, stamp, unit, float(s["Sum"]), float(s["SampleCount"]), float(s["Minimum"]), float(s["Maximum"]))
            else:
                value = float(member.get("Value", 0))
                index.add(namespace, name, dimensions, stamp, unit, value, 1, value, value)


def _indexed_get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
    if any(q.get("Expression", "").startswith("SELECT") for q in queries):
        return _moto_get_metric_data(self, queries, start_time, end_time, scan_by)
    start_time = start_time.replace(microsecond=0)
    end_time = end_time.replace(microsecond=0)
    if start_time > end_time:
        raise cloudwatch_models.ValidationError("The parameter EndTime must be greater than StartTime.")
    if start_time == end_time:
        raise cloudwatch_models.ValidationError("The parameter StartTime must not equal parameter EndTime.")
    start, end = _micros(start_time), _micros(end_time)
    results, to_return = [], []
    with _metric_lock:
        index = _with_provided_metrics(self)
        for query in (q for q in queries if "MetricStat" in q):
            metric_stat = query["MetricStat"]
            metric = metric_stat["Metric"]
            period = int(metric_stat["Period"]) * 1_000_000
            stat = metric_stat["Stat"]
            buckets = {}
            for series, unit in index.matching(metric["Namespace"], metric["MetricName"], metric.get("Dimensions", []), metric_stat.get("Unit")):
                series.aggregate(buckets, unit, start, period, start, end)
            ks = sorted(buckets)
            values = [_statistic(buckets[k], stat) for k in ks]
            timestamps = [start_time + timedelta(microseconds=k * period) for k in ks]
            if scan_by == "TimestampDescending":
                values.reverse()
                timestamps.reverse()
            label = query.get("Label") or f"{metric['MetricName']} {stat}"
            result = {"id": query["Id"], "label": label, "values": values, "timestamps": timestamps, "status_code": "Complete"}
            results.append(result)
            if query.get("ReturnData", True):
                to_return.append(dict(result))
    # Metric math runs on the other queries' results, as in moto.
    for query in (q for q in queries if "Expression" in q):
        values, timestamps = cloudwatch_models.parse_expression(query["Expression"], results)
        to_return.append({"id": query["Id"], "label": query.get("Label") or query["Id"], "values": values, "timestamps": timestamps, "status_code": "Complete"})
    return to_return


def _indexed_get_metric_statistics(self, namespace, metric_name, start_time, end_time, period, stats, dimensions, unit=None):
    start_time = start_time.replace(microsecond=0)
    end_time = end_time.replace(microsecond=0)
    if start_time >= end_time:
        raise cloudwatch_models.InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.")
    start, end, step = _micros(start_time), _micros(end_time), int(period) * 1_000_000
    with _metric_lock:
        found = _with_provided_metrics(self).matching(namespace, metric_name, dimensions, unit, subset=True)
        firsts = [t for t in (series.first_time(start, end) for series, _ in found) if t is not None]
        if not firsts:
            return []
        # moto's grid starts at the earliest datapoint in the range
        origin = min(firsts)
        origin_stamp = next(s.stamps[bisect.bisect_left(s.times, origin)] for s, _ in found if s.first_time(start, end) == origin)
        buckets = {}
        for series, series_unit in found:
            series.aggregate(buckets, series_unit, origin, step, start, end)
    data = []
    for k in sorted(buckets):
        total, count, low, high, _, last_unit = buckets[k]
        statistics = cloudwatch_models.Statistics(stats, origin_stamp + timedelta(microseconds=k * step))
        statistics.metric_data = [_statistic_set(namespace, metric_name, [], statistics.timestamp, last_unit, total, count, low, high)]
        statistics.unit = last_unit
        data.append(statistics)
    return data


def _indexed_get_all_metrics(self):
    with _metric_lock:
        held = list(_metric_index(self).datums())
    return held + self.aws_metric_data


def _indexed_get_filtered_metrics(self, metric_name, namespace, dimensions):
    """ListMetrics: each metric once (moto listed a metric without dimensions once per datapoint)."""
    with _metric_lock:
        listed = list(_metric_index(self).listed.values())
    found = []
    for datum in listed + self.aws_metric_data:
        if datum.filter(namespace=namespace, name=metric_name, dimensions=dimensions):
            found.append(datum)
    return found


_moto_get_metric_data = cloudwatch_models.CloudWatchBackend.get_metric_data

if os.environ.get("FANOUT_LOCAL_CLOUDWATCH_INDEX", "on") != "off":
    cloudwatch_models.CloudWatchBackend.put_metric_data = _indexed_put_metric_data
    cloudwatch_models.CloudWatchBackend.get_metric_data = _indexed_get_metric_data
    cloudwatch_models.CloudWatchBackend.get_metric_statistics = _indexed_get_metric_statistics
    cloudwatch_models.CloudWatchBackend.get_all_metrics = _indexed_get_all_metrics
    cloudwatch_models.CloudWatchBackend.get_filtered_metrics = _indexed_get_filtered_metrics


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


# ── 4. Lambda on the one endpoint ─────────────────────────────────────────────────────────────────
#
# moto's Lambda runs functions only in Docker and would consume mapped queues by itself, so the local
# run serves Lambda (infra/local/lambda/lambda-service.ts): one service per account and region, each
# registered here with PUT /_fanout/lambda-services/<account>/<region> {"endpoint": "http://127.0.0.1:…"}
# (DELETE with the same body removes it). A request whose SigV4 credential scope names the service
# `lambda` (Signature Version 4, "Elements of an AWS SigV4 request signature": Credential =
# <access key>/<date>/<region>/<service>/aws4_request) goes to the service registered for its region
# and for the account moto itself would act in (BaseResponse.get_current_account: MOTO_ACCOUNT_ID,
# the x-moto-account-id header, then the account of the access key, an assumed role's included).
# Without a registered service, moto's own Lambda answers as before.

_lambda_services = {}
_lambda_lock = threading.Lock()
_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
# Hop-by-hop headers (RFC 9110, 7.6.1) and the length, which the answer gets anew.
_NOT_PASSED_ON = {"connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "host"}
# The longest a function may run (Lambda quotas: 900 s), plus a margin.
_LAMBDA_FORWARD_TIMEOUT = 960


def _json_answer(start_response, status, value):
    body = json.dumps(value).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _request_body(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        return environ["wsgi.input"].read(length)
    return environ["wsgi.input"].read() if environ.get("wsgi.input_terminated") else b""


def _is_loopback_http(url):
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port is not None


def _lambda_services_api(environ, start_response):
    """PUT or DELETE /_fanout/lambda-services/<account>/<region>; GET /_fanout/lambda-services lists them."""
    parts = environ["PATH_INFO"].split("/")[3:]
    method = environ["REQUEST_METHOD"]
    if method == "GET" and not parts:
        with _lambda_lock:
            listed = [{"accountId": a, "region": r, "endpoint": e} for (a, r), e in _lambda_services.items()]
        return _json_answer(start_response, "200 OK", listed)
    if len(parts) != 2 or method not in ("PUT", "DELETE"):
        return _json_answer(start_response, "404 Not Found", {"message": "use PUT or DELETE /_fanout/lambda-services/<account>/<region>"})
    try:
        endpoint = json.loads(_request_body(environ) or b"{}").get("endpoint")
    except (ValueError, AttributeError):
        endpoint = None
    if not isinstance(endpoint, str) or not _is_loopback_http(endpoint):
        return _json_answer(start_response, "400 Bad Request", {"message": 'give {"endpoint": "http://127.0.0.1:<port>"}'})
    key = (parts[0], parts[1])
    with _lambda_lock:
        if method == "PUT":
            _lambda_services[key] = endpoint
        elif _lambda_services.get(key) == endpoint:
            # only the service that registered removes itself, not one registered since
            del _lambda_services[key]
    return _json_answer(start_response, "200 OK", {"accountId": key[0], "region": key[1], "endpoint": endpoint})


def _lambda_service_for(environ):
    scope = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not scope or scope.group(3) != "lambda":
        return None
    access_key, region = scope.group(1), scope.group(2)
    account = os.environ.get("MOTO_ACCOUNT_ID") or environ.get("HTTP_X_MOTO_ACCOUNT_ID") or get_account_id_from(access_key)
    with _lambda_lock:
        return _lambda_services.get((account, region))


def _pass_on(environ, start_response, endpoint):
    """The request, as it came (method, path and query, headers, body), answered by `endpoint`."""
    target = urlsplit(endpoint)
    path = environ.get("REQUEST_URI") or quote(environ.get("PATH_INFO", "/")) + (
        "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
    )
    headers = {key[5:].replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")}
    headers = {key: value for key, value in headers.items() if key.lower() not in _NOT_PASSED_ON}
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=_LAMBDA_FORWARD_TIMEOUT)
    try:
        connection.request(environ["REQUEST_METHOD"], path, body=_request_body(environ), headers=headers)
        answer = connection.getresponse()
        body = answer.read()
    except OSError as error:
        message = f"the local Lambda service at {endpoint} did not answer: {error}"
        body = json.dumps({"Type": "Service", "Message": message}).encode()
        start_response("503 Service Unavailable", [("Content-Type", "application/json"), ("x-amzn-errortype", "ServiceException"), ("Content-Length", str(len(body)))])
        return [body]
    finally:
        connection.close()
    passed = [(key, value) for key, value in answer.getheaders() if key.lower() not in _NOT_PASSED_ON]
    start_response(f"{answer.status} {answer.reason}", passed + [("Content-Length", str(len(body)))])
    return [body]


def _app(moto_app):
    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_fanout/state":
            return _json_answer(start_response, "200 OK", _state())
        if path == "/_fanout/lambda-services" or path.startswith("/_fanout/lambda-services/"):
            return _lambda_services_api(environ, start_response)
        lambda_service = _lambda_service_for(environ)
        if lambda_service:
            return _pass_on(environ, start_response, lambda_service)
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
