import { Button, ErrorState, Text } from '@hubspot/ui-extensions';

export function CardError({ title, message, onRetry }: { title: string; message: string; onRetry: () => void }) {
  return (
    <ErrorState title={title} type="error">
      <Text>{message}</Text>
      <Button testId="retry" onClick={() => onRetry()}>
        Retry
      </Button>
    </ErrorState>
  );
}
