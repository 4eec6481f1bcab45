import { Alert, Button, Text } from '@hubspot/ui-extensions';

/**
 * A registration action the backend refused. A 409 means someone else changed the registration since the
 * card loaded: retrying the same decision would be wrong, so the card offers a refresh instead.
 */
export function ActionFailureAlert({
  failure,
  onRefresh,
  onDismiss,
}: {
  failure: { message: string; stale: boolean };
  onRefresh: () => void;
  onDismiss: () => void;
}) {
  if (failure.stale) {
    return (
      <Alert title="This registration changed since the card loaded" variant="warning">
        <Text>{failure.message}</Text>
        <Button testId="refresh-after-conflict" onClick={() => onRefresh()}>
          Refresh
        </Button>
      </Alert>
    );
  }
  return (
    <Alert title="The action did not go through" variant="error">
      <Text>{failure.message}</Text>
      <Button variant="transparent" onClick={() => onDismiss()}>
        Dismiss
      </Button>
    </Alert>
  );
}
