/**
 * "Invite to portal" on the company card: the partner's contacts, whether each can sign in to the partner
 * portal, and a button that invites one (sets portal access and emails a one-time sign-in link). Only partner
 * managers may invite; for anyone else the backend answers 403 and the message is shown.
 */
import { Alert, Button, Flex, Heading, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { useCallback, useState } from 'react';
import { getPortalContacts, invitePortalContact, type PortalContact } from '../../api/portal-invite.js';
import { useFetchState } from '../../hooks/use-fetch-state.js';

export function PortalInviteSection({ companyId }: { companyId: string }) {
  const load = useCallback(() => getPortalContacts(companyId), [companyId]);
  const { state, reload } = useFetchState<PortalContact[]>(load, companyId);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string; link?: string } | null>(null);

  const invite = async (contactId: string) => {
    setBusy(contactId);
    try {
      const res = await invitePortalContact(companyId, contactId);
      setOutcome({ ok: true, message: res.message, ...(res.link ? { link: res.link } : {}) });
      reload();
    } catch (err) {
      setOutcome({ ok: false, message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Flex direction="column" gap="small">
      <Heading>Partner portal</Heading>
      {outcome && (
        <Alert title={outcome.ok ? 'Invitation sent' : 'The invitation did not go through'} variant={outcome.ok ? 'success' : 'error'}>
          {outcome.message}
          {outcome.link ? ` ${outcome.link}` : ''}
        </Alert>
      )}
      {state.status === 'loading' && <Text>Loading contacts…</Text>}
      {state.status === 'error' && <Text>{state.message}</Text>}
      {state.status === 'success' && state.data.length === 0 && <Text>Associate a contact with this company to invite them to the partner portal.</Text>}
      {state.status === 'success' && state.data.length > 0 && (
        <Table bordered={true} testId="portal-contacts">
          <TableHead>
            <TableRow>
              <TableHeader>Contact</TableHeader>
              <TableHeader>Portal access</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {state.data.map((c) => (
              <TableRow key={c.id}>
                <TableCell>{c.email ? `${c.name} (${c.email})` : c.name}</TableCell>
                <TableCell>
                  <StatusTag variant={c.hasAccess ? 'success' : 'default'}>{c.hasAccess ? 'Can sign in' : 'Not invited'}</StatusTag>
                </TableCell>
                <TableCell>
                  <Button testId={`invite-${c.id}`} disabled={busy !== null} onClick={() => void invite(c.id)}>
                    {c.hasAccess ? 'Send a new sign-in link' : 'Invite to portal'}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
