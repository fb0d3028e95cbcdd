export interface MessagesProps {
  /** Polite news ("Saved"): role=status, always present so screen readers hear each change. */
  status?: string;
  /** A problem: role=alert, present only while there is one. */
  alert?: string;
  /** Shown after the alert text and not announced on every tick (e.g. "Try again in 12 s."). */
  alertDetail?: string;
}

/** A form's message line, in a slot that keeps its height so the page does not jump. */
export function Messages({ status = '', alert = '', alertDetail = '' }: MessagesProps) {
  return (
    <div class="messages">
      <p role="status" class="status">{status}</p>
      {alert ? <p role="alert" class="alert">{alert}{alertDetail ? <span aria-live="off"> {alertDetail}</span> : null}</p> : null}
    </div>
  );
}
