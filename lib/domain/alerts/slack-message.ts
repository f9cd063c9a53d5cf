import type { AlertNews, AlertNotification, NotificationReason } from "./alert-state";

/**
 * A Slack incoming webhook's message: one readable text in Slack's mrkdwn, with links back to the
 * console. Slack reads `&`, `<` and `>` as control characters ("Formatting message text", Escaping
 * text): a summary or resource that holds them is escaped, so no text of a message can make a link.
 */
export interface SlackMessage {
  text: string;
}

const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A link's URL may hold neither `|` (which ends it) nor `>`: both percent-encoded, which a URL allows. */
const linkTo = (url: string, label: string): string =>
  `<${url.replace(/\|/g, "%7C").replace(/>/g, "%3E")}|${escapeText(label)}>`;

const HEADLINE: Record<NotificationReason, string> = {
  firing: ":rotating_light: *Firing*",
  news: ":rotating_light: *Firing, with news*",
  reminder: ":rotating_light: *Still firing*",
  resolved: ":white_check_mark: *Resolved*",
};

/** What arrived, on a line of its own: how many, the newest letter, its first error and a link to its trace. */
function newsLine(news: AlertNews): string {
  return [
    `New: ${news.count}`,
    ...(news.newestId !== undefined ? [`newest \`${escapeText(news.newestId)}\``] : []),
    ...(news.firstError !== undefined ? [`first error: ${escapeText(news.firstError)}`] : []),
    ...(news.traceLink !== undefined ? [linkTo(news.traceLink, "its trace")] : []),
  ].join(" · ");
}

export function slackMessageOf(notification: AlertNotification): SlackMessage {
  const headline = HEADLINE[notification.reason];
  const where = `${escapeText(notification.environment)} (${escapeText(notification.region)})`;
  return {
    text: [
      `${headline} · \`${notification.rule}\` in ${where}`,
      linkTo(notification.link, notification.summary),
      ...(notification.news ? [newsLine(notification.news)] : []),
      `Resource: \`${escapeText(notification.resource)}\` · since ${new Date(notification.since).toISOString()}`,
    ].join("\n"),
  };
}
