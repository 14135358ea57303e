// The simulated wallet: a consent dialog that asks which chains and methods to grant.
export const CHAINS = [
  { id: 'eip155:1', name: 'Ethereum' },
  { id: 'eip155:8453', name: 'Base' },
  { id: 'eip155:137', name: 'Polygon' },
];
export const METHODS = ['eth_accounts', 'eth_sendTransaction', 'personal_sign', 'eth_signTypedData_v4'];

/** Opens the wallet; resolves to the granted permissions ({ chainId: methods[] }), or null if rejected. */
export function askWallet(dialog) {
  const grants = dialog.querySelector('#grants');
  dialog.querySelector('#wallet-origin').textContent = `Request from ${location.origin}`;
  grants.replaceChildren(...CHAINS.map((chain, index) => chainChoice(chain, index === 0)));
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'approve') return resolve(null);
      const permissions = {};
      for (const fieldset of grants.querySelectorAll('fieldset')) {
        if (!fieldset.querySelector('[name=chain]').checked) continue;
        const methods = [...fieldset.querySelectorAll('[name=method]:checked')].map((box) => box.value);
        if (methods.length) permissions[fieldset.dataset.chain] = methods;
      }
      resolve(Object.keys(permissions).length ? permissions : null);
    }, { once: true });
  });
}

/** A made-up account address for the demo wallet. */
export function demoAccount() {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `0x${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function chainChoice(chain, checked) {
  const fieldset = document.createElement('fieldset');
  fieldset.dataset.chain = chain.id;
  fieldset.innerHTML = `<legend><label><input type="checkbox" name="chain"> ${chain.name} <span class="muted small">${chain.id}</span></label></legend>`;
  fieldset.querySelector('[name=chain]').checked = checked;
  for (const method of METHODS) {
    const label = document.createElement('label');
    label.className = 'chip-choice';
    label.innerHTML = `<input type="checkbox" name="method" value="${method}"> <span>${method}</span>`;
    label.querySelector('input').checked = method === 'eth_accounts' || method === 'eth_sendTransaction';
    fieldset.append(label);
  }
  return fieldset;
}
